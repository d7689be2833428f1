//! Verification of a chain document: every check xycore makes, and the
//! ones it misses (stored states, index continuity, signatures, pinned
//! signer, truncation against a signed head). All problems are reported,
//! each with the entry it concerns; the smallest such index is the break.

use serde::Serialize;

use super::chain::{ChainDocument, SignedHead};
use super::entry::Entry;
use super::hash::{GENESIS, proof_hash, short_hash, state_hash};
use super::json::{Number, Value};
use super::sign::PublicKey;

pub const REPORT_FORMAT: &str = "pruv.verify/1";

#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Every signature must be by this key (and one must exist).
    pub pinned_key: Option<PublicKey>,
    /// Every entry must be signed; for a pruv export this also requires
    /// its signed head, since an export can only lose one by being edited.
    pub require_signatures: bool,
    /// The document must carry a valid signed head (`pruv chain export --sign`).
    pub require_signed_head: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// A field is missing or has the wrong type.
    Malformed,
    /// `index` differs from the entry's position.
    Index,
    /// Entry 0's `x` is not `GENESIS`.
    Genesis,
    /// `x` differs from the previous entry's `y`.
    Link,
    /// `y` is not the hash of the stored `y_state`.
    StateHash,
    /// `xy` is not the proof hash of x, operation, y and timestamp.
    Proof,
    /// A signature (or its public key) is invalid or does not match.
    Signature,
    /// Signed by a key other than the pinned one.
    Signer,
    /// A signature was required and is absent.
    Unsigned,
    /// The document's `length`, `head` or `root` disagree with its entries.
    Summary,
    /// The signed head is invalid or no longer matches the entries.
    SignedHead,
    /// Entries were cut off (or added) after the head was signed.
    Truncated,
    /// Warning: an entry's time is earlier than its predecessor's.
    Clock,
    /// Warning: a status other than success, failed or pending.
    Status,
}

impl ProblemKind {
    /// The stable name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Malformed => "malformed",
            ProblemKind::Index => "index",
            ProblemKind::Genesis => "genesis",
            ProblemKind::Link => "link",
            ProblemKind::StateHash => "state_hash",
            ProblemKind::Proof => "proof",
            ProblemKind::Signature => "signature",
            ProblemKind::Signer => "signer",
            ProblemKind::Unsigned => "unsigned",
            ProblemKind::Summary => "summary",
            ProblemKind::SignedHead => "signed_head",
            ProblemKind::Truncated => "truncated",
            ProblemKind::Clock => "clock",
            ProblemKind::Status => "status",
        }
    }
}

impl Serialize for ProblemKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The entry concerned; absent for problems of the document as a whole.
    pub index: Option<u64>,
    pub kind: ProblemKind,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SignatureSummary {
    /// Entries that carry a signature.
    pub signed: usize,
    /// Of those, how many verified.
    pub verified: usize,
    /// Distinct public keys (base64) that signed, in order of appearance.
    pub signers: Vec<String>,
    /// Whether the document carries a signed head that verified.
    pub head_signed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub chain_id: Option<String>,
    pub name: Option<String>,
    pub entries: usize,
    pub intact: bool,
    /// The first entry where the chain breaks.
    pub first_break: Option<u64>,
    pub head: String,
    pub root: Option<String>,
    pub signatures: SignatureSummary,
    pub problems: Vec<Problem>,
    /// Oddities that do not break the chain (clock going backwards, unknown status).
    pub warnings: Vec<Problem>,
}

pub fn verify_document(doc: &ChainDocument, options: &VerifyOptions) -> Report {
    let mut check =
        Checker { options, problems: Vec::new(), warnings: Vec::new(), signatures: SignatureSummary::default() };
    // After a malformed entry the next link cannot be checked: its
    // predecessor's `y` is unknown, and the malformed entry is the break.
    let mut previous: Option<&Entry> = None;
    for (position, parsed) in doc.entries.iter().enumerate() {
        let position = position as u64;
        match parsed {
            Err(error) => {
                check.problem(Some(position), ProblemKind::Malformed, error.message.clone());
                previous = None;
            }
            Ok(entry) => {
                check.entry(position, entry, previous);
                previous = Some(entry);
            }
        }
    }
    let well_formed: Vec<&Entry> = doc.entries.iter().filter_map(|e| e.as_ref().ok()).collect();
    let complete = well_formed.len() == doc.entries.len();
    let head = if complete { well_formed.last().map_or(GENESIS.to_owned(), |e| e.y.clone()) } else { String::new() };
    let root = if complete { well_formed.first().map(|e| e.xy.clone()) } else { None };
    if complete {
        check.summary(doc, &head, root.as_deref());
    }
    check.signed_head(doc, &head, root.as_deref());
    if let Some(pinned) = &options.pinned_key
        && check.signatures.signed == 0
        && !check.signatures.head_signed
    {
        check.problem(
            None,
            ProblemKind::Unsigned,
            format!("nothing in the chain is signed, but --public-key expects signatures by {}", pinned.to_base64()),
        );
    }

    let Checker { mut problems, warnings, signatures, .. } = check;
    problems.sort_by_key(|p| p.index.unwrap_or(u64::MAX));
    let first_break = problems.iter().filter_map(|p| p.index).min();
    Report {
        format: REPORT_FORMAT,
        chain_id: doc.id.clone(),
        name: doc.name.clone(),
        entries: doc.entries.len(),
        intact: problems.is_empty(),
        first_break,
        head,
        root,
        signatures,
        problems,
        warnings,
    }
}

struct Checker<'a> {
    options: &'a VerifyOptions,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    signatures: SignatureSummary,
}

const KNOWN_STATUSES: [&str; 3] = ["success", "failed", "pending"];

impl Checker<'_> {
    fn problem(&mut self, index: Option<u64>, kind: ProblemKind, message: impl Into<String>) {
        self.problems.push(Problem { index, kind, message: message.into() });
    }

    fn entry(&mut self, position: u64, entry: &Entry, previous: Option<&Entry>) {
        let at = Some(position);
        if entry.index != position {
            self.problem(
                at,
                ProblemKind::Index,
                format!("index is {} but the entry is at position {position}", entry.index),
            );
        }
        if position == 0 {
            if entry.x != GENESIS {
                self.problem(
                    at,
                    ProblemKind::Genesis,
                    format!("first entry's x is {} instead of GENESIS", short_hash(&entry.x)),
                );
            }
        } else if let Some(previous) = previous
            && entry.x != previous.y
        {
            self.problem(
                at,
                ProblemKind::Link,
                format!(
                    "x {} does not equal entry {}'s y {}",
                    short_hash(&entry.x),
                    position - 1,
                    short_hash(&previous.y)
                ),
            );
        }
        if let Some(state) = &entry.y_state {
            let actual = state_hash(state);
            if actual != entry.y {
                self.problem(
                    at,
                    ProblemKind::StateHash,
                    format!(
                        "y {} is not the hash of the stored y_state, which hashes to {}",
                        short_hash(&entry.y),
                        short_hash(&actual)
                    ),
                );
            }
        }
        let expected = proof_hash(&entry.x, &entry.operation, &entry.y, &entry.timestamp);
        if expected != entry.xy {
            self.problem(
                at,
                ProblemKind::Proof,
                format!(
                    "xy {} does not match x, operation, y and timestamp, which give {}",
                    short_hash(&entry.xy),
                    short_hash(&expected)
                ),
            );
        }
        self.entry_signature(position, entry);
        if let Some(previous) = previous
            && entry.timestamp.as_f64() < previous.timestamp.as_f64()
        {
            self.warnings.push(Problem {
                index: at,
                kind: ProblemKind::Clock,
                message: format!("timestamp is earlier than entry {}'s", position - 1),
            });
        }
        if !KNOWN_STATUSES.contains(&entry.status.as_str()) {
            self.warnings.push(Problem {
                index: at,
                kind: ProblemKind::Status,
                message: format!("status {:?} is not one of success, failed, pending", entry.status),
            });
        }
    }

    fn entry_signature(&mut self, position: u64, entry: &Entry) {
        let at = Some(position);
        let Some(signature) = &entry.signature else {
            if entry.public_key.is_some() {
                self.problem(at, ProblemKind::Signature, "public_key is present but the signature is missing");
            } else if self.options.require_signatures {
                self.problem(at, ProblemKind::Unsigned, "entry is not signed");
            }
            return;
        };
        self.signatures.signed += 1;
        let stated = match entry.public_key.as_deref() {
            None => None,
            Some(text) => match PublicKey::from_text(text) {
                Some(key) => Some(key),
                None => {
                    self.problem(at, ProblemKind::Signature, "public_key is not a valid Ed25519 key in base64");
                    return;
                }
            },
        };
        let key = match (&self.options.pinned_key, stated) {
            (Some(pinned), Some(stated)) if *pinned != stated => {
                self.problem(
                    at,
                    ProblemKind::Signer,
                    format!("signed by {} instead of the pinned key {}", stated.to_base64(), pinned.to_base64()),
                );
                return;
            }
            (Some(pinned), _) => *pinned,
            (None, Some(stated)) => stated,
            (None, None) => {
                self.problem(at, ProblemKind::Signature, "signature without a public_key to check it against");
                return;
            }
        };
        match key.verify_base64(entry.signing_message().as_bytes(), signature) {
            Ok(()) => {
                self.signatures.verified += 1;
                let signer = key.to_base64();
                if !self.signatures.signers.contains(&signer) {
                    self.signatures.signers.push(signer);
                }
            }
            Err(problem) => self.problem(at, ProblemKind::Signature, format!("{problem} (x:operation:y:xy)")),
        }
    }

    /// The document's own `length`, `head` and `root` must agree with its entries.
    fn summary(&mut self, doc: &ChainDocument, head: &str, root: Option<&str>) {
        let count = doc.entries.len() as u64;
        if let Some(declared) = &doc.declared_length {
            match declared.as_number().and_then(Number::as_u64) {
                Some(length) if length == count => {}
                Some(length) => self.problem(
                    Some(length.min(count)),
                    ProblemKind::Summary,
                    format!("the document declares {length} entries but holds {count}"),
                ),
                None => self.problem(None, ProblemKind::Summary, "`length` is not a non-negative integer"),
            }
        }
        if let Some(declared) = &doc.declared_head
            && declared.as_str() != Some(head)
        {
            // The declared head is not reached: whatever it names would sit
            // after the last entry present, so that is where the chain breaks.
            self.problem(
                Some(count),
                ProblemKind::Summary,
                format!("the document's head {} is not the last entry's y {}", display(declared), short_hash(head)),
            );
        }
        if let Some(declared) = &doc.declared_root {
            let matches = match (declared, root) {
                (Value::Null, None) => true,
                (Value::String(s), Some(root)) => s == root,
                _ => false,
            };
            if !matches {
                self.problem(
                    Some(0),
                    ProblemKind::Summary,
                    format!("the document's root {} is not entry 0's xy", display(declared)),
                );
            }
        }
    }

    fn signed_head(&mut self, doc: &ChainDocument, head: &str, root: Option<&str>) {
        let Some(raw) = &doc.signed_head else {
            // Deleting the signed head must not downgrade the check to a
            // warning, after which status and metadata could be edited freely.
            let pruv_export = doc.format.as_deref() == Some(super::chain::CHAIN_FORMAT);
            if self.options.require_signed_head || (self.options.require_signatures && pruv_export) {
                return self.problem(
                    None,
                    ProblemKind::SignedHead,
                    "no signed head, and one is required: status, metadata, the name and the length are unprotected; \
                     export with `pruv chain export --sign`",
                );
            }
            if self.options.require_signatures {
                // Per-entry signatures already prove each entry; a signed head
                // is what proves nothing was cut off the end.
                self.warnings.push(Problem {
                    index: None,
                    kind: ProblemKind::Truncated,
                    message: "no signed head: truncation of the last entries cannot be ruled out".into(),
                });
            }
            return;
        };
        let signed = match SignedHead::from_value(raw) {
            Ok(signed) => signed,
            Err(message) => return self.problem(None, ProblemKind::SignedHead, message),
        };
        let Some(stated) = PublicKey::from_text(&signed.public_key) else {
            return self.problem(None, ProblemKind::SignedHead, "signed_head.public_key is not a valid Ed25519 key");
        };
        if let Some(pinned) = &self.options.pinned_key
            && *pinned != stated
        {
            return self.problem(
                None,
                ProblemKind::Signer,
                format!("head signed by {} instead of the pinned key {}", stated.to_base64(), pinned.to_base64()),
            );
        }
        if let Err(problem) = stated.verify_base64(signed.message().as_bytes(), &signed.signature) {
            return self.problem(None, ProblemKind::SignedHead, format!("signed head: {problem}"));
        }
        self.signatures.head_signed = true;
        let count = doc.entries.len() as u64;
        if signed.length != count {
            let what = if signed.length > count { "cut off" } else { "added" };
            self.problem(
                Some(signed.length.min(count)),
                ProblemKind::Truncated,
                format!("the head was signed over {} entries; the chain has {count} (entries {what})", signed.length),
            );
        } else if signed.head != head || signed.root.as_deref() != root {
            self.problem(
                Some(count.saturating_sub(1)),
                ProblemKind::SignedHead,
                "the signed head and root are not the chain's head and root",
            );
        }
        if signed.chain_id != doc.id.clone().unwrap_or_default() {
            self.problem(None, ProblemKind::SignedHead, format!("the head was signed for chain {:?}", signed.chain_id));
        }
        match &signed.name {
            Some(name) if Some(name) != doc.name.as_ref() => self.problem(
                None,
                ProblemKind::SignedHead,
                format!("the head was signed for a chain named {name:?}; the document renames it"),
            ),
            Some(_) => {}
            None => self.warnings.push(Problem {
                index: None,
                kind: ProblemKind::SignedHead,
                message: "the signed head does not bind the chain's name (signed by an older pruv)".into(),
            }),
        }
        if doc.entries_digest.as_deref() != Some(signed.entries_digest.as_str()) && signed.length == count {
            // One digest covers all entries, so the edited entry cannot be named.
            self.problem(
                None,
                ProblemKind::SignedHead,
                "the entries changed after the head was signed (a field outside the proof hash, such as status or metadata, was edited)",
            );
        }
    }
}

fn display(value: &Value) -> String {
    match value {
        Value::String(s) => short_hash(s),
        other => other.kind().to_owned(),
    }
}

/// Verifies a chain held in memory (loaded from the store, or built), as
/// its exported document would be verified.
pub fn verify_chain(chain: &super::chain::Chain, options: &VerifyOptions) -> Report {
    let document = ChainDocument {
        format: Some(super::chain::CHAIN_FORMAT.to_owned()),
        id: Some(chain.id.clone()),
        name: Some(chain.name.clone()),
        entries: chain.entries.iter().cloned().map(Ok).collect(),
        entries_digest: None,
        auto_redact: chain.auto_redact,
        auto_checkpoint: chain.auto_checkpoint,
        checkpoint_interval: chain.checkpoint_interval,
        declared_length: Some((chain.entries.len() as u64).into()),
        declared_head: Some(chain.head().into()),
        declared_root: Some(chain.root().map_or(Value::Null, Value::from)),
        signed_head: None,
    };
    verify_document(&document, options)
}
