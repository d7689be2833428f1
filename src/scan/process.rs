//! One file: read once; the same bytes feed the hash, the prefilter, the
//! parser and the configuration readers.

use std::io::Read as _;

use sha2::{Digest as _, Sha256};

use super::config::{self, ConfigFacts, ConfigKind};
use super::extract;
use super::facts::Fact;
use super::lang::{self, Detected};
use super::model::FileEntry;
use super::paths;
use super::walk::Walked;

/// Files above this are hashed in a stream and never parsed.
const MAX_IN_MEMORY: u64 = 16 << 20;

/// What one file gave.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Processed {
    /// `None` when the file could not be read at all (vanished, unreadable).
    pub entry: Option<FileEntry>,
    pub code: Vec<Fact>,
    pub config: Option<(ConfigKind, ConfigFacts)>,
    /// The file starts a program (`if __name__ == "__main__"`, `func main()`, …).
    pub entry_point: bool,
    pub parsed: bool,
    /// Something went wrong that the user should hear about; counted as skipped.
    pub warning: Option<String>,
    /// What parsing it took, when tree-sitter parsed it.
    #[serde(default)]
    pub tree_sitter: Option<TreeSitterWork>,
    /// Every package it imports, for languages whose programs are built
    /// from their import graph (Go).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imports: Vec<String>,
}

/// The expensive part of reading code, counted (not timed) so that a
/// regression in what gets parsed shows without wall-clock noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TreeSitterWork {
    pub bytes: u64,
    /// Rule files whose queries ran over the tree.
    pub rule_files: u32,
}

impl Processed {
    /// Hashed and listed, nothing read from it (yet).
    pub(crate) fn hashed(entry: FileEntry) -> Processed {
        Processed {
            entry: Some(entry),
            code: vec![],
            config: None,
            entry_point: false,
            parsed: false,
            warning: None,
            tree_sitter: None,
            imports: vec![],
        }
    }

    pub(crate) fn unreadable(warning: String) -> Processed {
        Processed {
            entry: None,
            code: vec![],
            config: None,
            entry_point: false,
            parsed: false,
            warning: Some(warning),
            tree_sitter: None,
            imports: vec![],
        }
    }
}

/// A file of the work tree.
pub fn process(file: &Walked) -> Processed {
    let mut processed = process_unredacted(file);
    super::redact::processed(&mut processed);
    processed
}

/// A file of the work tree with its values as written: only for showing
/// them on request (`pruv compose config --show-values`), never to keep.
pub fn process_unredacted(file: &Walked) -> Processed {
    if file.is_symlink {
        return process_symlink(file);
    }
    match read(file) {
        Ok(content) => {
            let sha256 = content.sha256();
            analyse_unredacted(&file.path, &content, sha256)
        }
        Err(warning) => Processed::unreadable(warning),
    }
}

pub fn process_symlink(file: &Walked) -> Processed {
    match std::fs::read_link(&file.absolute) {
        Ok(target) => process_link(&file.path, target.to_string_lossy().into_owned()),
        Err(e) => Processed::unreadable(format!("{}: {e}", file.path)),
    }
}

/// What reading a file gave: its bytes, or only the hash of a file too big to hold.
pub enum Content {
    Whole(Vec<u8>),
    Large { sha256: String, size: u64 },
}

impl Content {
    pub fn sha256(&self) -> String {
        match self {
            Content::Whole(bytes) => hex::encode(Sha256::digest(bytes)),
            Content::Large { sha256, .. } => sha256.clone(),
        }
    }
}

/// Reads a regular file once; an unreadable one gives its warning.
///
/// Never more than the size the file reported when opened (plus one byte
/// to notice more): a pseudo-file (`/proc`, `/sys`) reports 0 and may
/// never end, and a file still being written has no stable hash. Either is
/// skipped with a warning rather than read without a limit.
pub fn read(file: &Walked) -> Result<Content, String> {
    let unreadable = |e: std::io::Error| format!("{}: {e}", file.path);
    let handle = std::fs::File::open(&file.absolute).map_err(unreadable)?;
    let size = handle.metadata().map_err(unreadable)?.len();
    let mut bounded = handle.take(size.saturating_add(1));
    let content = if size > MAX_IN_MEMORY {
        let (sha256, read) = stream_hash(&mut bounded).map_err(unreadable)?;
        (read == size).then_some(Content::Large { sha256, size: read })
    } else {
        let mut bytes = Vec::with_capacity(size as usize);
        bounded.read_to_end(&mut bytes).map_err(unreadable)?;
        (bytes.len() as u64 == size).then_some(Content::Whole(bytes))
    };
    content.ok_or_else(|| {
        format!(
            "{}: its content does not match the size it reports ({size} bytes): a pseudo-file (/proc, /sys) or a file being written; skipped",
            file.path
        )
    })
}

/// Everything a file's content says, given its hash, values reduced to
/// their address part (this is what the cache keeps).
pub fn analyse(path: &str, content: &Content, sha256: String) -> Processed {
    let mut processed = analyse_unredacted(path, content, sha256);
    super::redact::processed(&mut processed);
    processed
}

fn analyse_unredacted(path: &str, content: &Content, sha256: String) -> Processed {
    match content {
        Content::Whole(bytes) => process_hashed(path, bytes, sha256),
        Content::Large { size, .. } => {
            let mut processed = Processed::hashed(file_entry(path, sha256, *size));
            processed.warning = too_big_to_read(path);
            processed
        }
    }
}

/// The warning for a file over the cap that would have been read as
/// configuration or code: silently ignoring a 50 MB compose file gave a
/// scan with no services and no word why.
fn too_big_to_read(path: &str) -> Option<String> {
    let read = config::classify(path).is_some() || matches!(lang::detect(path), Some(Detected::Parsed(_)));
    (read && !paths::is_excluded(path)).then(|| {
        format!("{path}: larger than the {} MiB cap on files read whole; hashed, not read", MAX_IN_MEMORY >> 20)
    })
}

/// A symbolic link (never followed): the hash covers the target text.
pub fn process_link(path: &str, target: String) -> Processed {
    Processed::hashed(FileEntry {
        path: path.to_owned(),
        sha256: hex::encode(Sha256::digest(target.as_bytes())),
        size: target.len() as u64,
        language: None,
        symlink: Some(target),
    })
}

pub(crate) fn file_entry(path: &str, sha256: String, size: u64) -> FileEntry {
    FileEntry {
        path: path.to_owned(),
        sha256,
        size,
        language: lang::detect(path).map(|d| d.label().to_owned()),
        symlink: None,
    }
}

/// A file's whole contents, from the disk or from a git object: the same
/// bytes give the same facts wherever they come from.
pub fn process_bytes(path: &str, bytes: &[u8]) -> Processed {
    let mut processed = process_hashed(path, bytes, hex::encode(Sha256::digest(bytes)));
    super::redact::processed(&mut processed);
    processed
}

fn process_hashed(path: &str, bytes: &[u8], sha256: String) -> Processed {
    let mut processed = Processed::hashed(file_entry(path, sha256, bytes.len() as u64));
    // Files too big to read whole from disk are only hashed; a blob of that size is treated alike.
    if bytes.len() as u64 > MAX_IN_MEMORY {
        processed.warning = too_big_to_read(path);
        return processed;
    }
    if paths::is_excluded(path) {
        return processed;
    }
    let detected = lang::detect(path);
    let config_kind = config::classify(path);
    let parse_code = matches!(detected, Some(Detected::Parsed(_)));
    if config_kind.is_none() && !parse_code {
        return processed;
    }
    if bytes.iter().take(8000).any(|b| *b == 0) {
        return processed; // binary
    }
    let text = match std::str::from_utf8(bytes) {
        // A UTF-8 byte order mark (Visual Studio writes one into JSON and XML)
        // is no part of the text any parser reads.
        Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text),
        Err(e) => {
            processed.warning = Some(format!("{path}: not UTF-8 at byte {}; hashed, not parsed", e.valid_up_to()));
            return processed;
        }
    };
    if let Some(Detected::Parsed(language)) = detected.filter(|_| !paths::is_build_script(path)) {
        processed.entry_point = paths::is_entry_point(language.name, path, text);
        if language.name == "go" {
            processed.imports = super::go_imports::go_imports(text);
        }
        if extract::worth_parsing(language, text) {
            match extract::extract_counted(language, text) {
                Some((facts, rule_files)) => {
                    processed.code = facts;
                    processed.parsed = true;
                    if rule_files > 0 {
                        processed.tree_sitter = Some(TreeSitterWork { bytes: text.len() as u64, rule_files });
                    }
                }
                None => {
                    processed.warning =
                        Some(format!("{path}: the {} parser gave up; hashed, not parsed", language.name))
                }
            }
        }
    }
    if config_kind.is_some() && text.contains("<%") {
        processed.code.extend(embedded_ruby_env_reads(text));
    }
    // An Aspire AppHost is C# that describes the deployment.
    if config_kind.is_none() && detected.is_some_and(|d| d.label() == "csharp") && config::aspire::is_app_host(text) {
        processed.config = Some((ConfigKind::AspireHost, ConfigFacts::Aspire(config::aspire::parse(text))));
        processed.parsed = true;
    }
    if let Some(kind) = config_kind {
        match config::parse(kind, path, text) {
            Ok(Some(facts)) => {
                processed.config = Some((kind, facts));
                processed.parsed = true;
            }
            Ok(None) => {}
            Err(e) => processed.warning = Some(format!("{path}: {e}; skipped as configuration")),
        }
    }
    processed
}

/// Env reads inside ERB tags of a configuration file (`<%= ENV["DB_HOST"] %>`
/// in a Rails `database.yml`): the Ruby between the tags is parsed with the
/// Ruby rules, everything else blanked so that lines stay where they were.
fn embedded_ruby_env_reads(text: &str) -> Vec<crate::scan::facts::Fact> {
    extract::extract(&crate::scan::lang::RUBY, &erb_ruby(text))
        .unwrap_or_default()
        .into_iter()
        .filter(|fact| matches!(fact.kind, crate::scan::facts::FactKind::EnvRead { .. }))
        .collect()
}

/// The Ruby code of an ERB template, each tag ended by `;`, all other text
/// replaced by spaces (newlines kept).
fn erb_ruby(text: &str) -> String {
    let mut ruby = String::with_capacity(text.len());
    for part in config::erb_parts(text) {
        match part {
            config::ErbPart::Text(text) => ruby += &config::blank(text),
            config::ErbPart::Tag(tag) => {
                let code_start = usize::from(tag.starts_with(['=', '-']));
                ruby += &tag[code_start..];
                ruby.push(';');
            }
        }
    }
    ruby
}

fn stream_hash(handle: &mut impl std::io::Read) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = handle.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        total += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), total))
}

#[cfg(test)]
mod tests {
    #[test]
    fn erb_keeps_lines_and_only_code() {
        let ruby = super::erb_ruby("a:\n  host: <%= ENV.fetch(\"DB_HOST\") { 1 } %>\n  x: y\n<%# ENV[\"C\"] %>\n");
        assert_eq!(ruby.lines().count(), 4);
        assert!(ruby.lines().nth(1).unwrap().trim() == "ENV.fetch(\"DB_HOST\") { 1 } ;");
        let facts = super::embedded_ruby_env_reads(
            "a:\n  host: <%= ENV.fetch(\"DB_HOST\") { 1 } %>\n<%# ENV[\"COMMENTED\"] %>\n",
        );
        let names: Vec<_> = facts.iter().map(|f| (f.line, format!("{:?}", f.kind))).collect();
        assert_eq!(names, [(2, "EnvRead { name: \"DB_HOST\", default: true, fallback: None }".to_owned())]);
    }

    /// Regression: an `appsettings.json` that Visual Studio saved with a byte
    /// order mark was skipped as "expected value at line 1 column 1".
    #[test]
    fn a_byte_order_mark_is_not_part_of_the_text() {
        let processed =
            super::process_bytes("Web/appsettings.json", "\u{feff}{ \"Api\": \"http://api:8080\" }\n".as_bytes());
        assert_eq!(processed.warning, None);
        assert!(processed.config.is_some());
    }
}

#[cfg(test)]
mod vanishing {
    use super::*;

    #[test]
    fn a_file_gone_before_it_is_read_is_a_warning_not_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let walked = Walked { path: "gone.py".into(), absolute: dir.path().join("gone.py"), is_symlink: false };
        let processed = process(&walked);
        assert!(processed.entry.is_none());
        assert!(processed.warning.as_deref().is_some_and(|w| w.starts_with("gone.py: ")), "{:?}", processed.warning);
    }
}
