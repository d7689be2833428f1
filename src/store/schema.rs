//! The database layout. `PRAGMA user_version` holds the schema version.

/// The schema this build reads and writes.
pub const VERSION: i64 = 7;

/// Entries keep every document field, with numbers and states as compact
/// JSON text so that they re-render byte for byte. `(chain_id, idx)` is
/// the primary key: two appenders can never both write index n.
pub const CREATE: &str = "
CREATE TABLE chains (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    created_at          TEXT NOT NULL,
    auto_redact         INTEGER NOT NULL,
    auto_checkpoint     INTEGER NOT NULL,
    checkpoint_interval INTEGER NOT NULL
) STRICT;

CREATE TABLE entries (
    chain_id   TEXT NOT NULL REFERENCES chains(id),
    idx        INTEGER NOT NULL,
    timestamp  TEXT NOT NULL,
    operation  TEXT NOT NULL,
    x          TEXT NOT NULL,
    y          TEXT NOT NULL,
    xy         TEXT NOT NULL,
    status     TEXT NOT NULL,
    verified   INTEGER NOT NULL,
    metadata   TEXT NOT NULL,
    x_state    TEXT,
    y_state    TEXT,
    signature  TEXT,
    signer_id  TEXT,
    public_key TEXT,
    PRIMARY KEY (chain_id, idx)
) STRICT, WITHOUT ROWID;

PRAGMA user_version = 1;
";

/// Version 2: recorded scans, each with its whole `pruv.scan/1` document.
pub const V2: &str = "
CREATE TABLE scans (
    id          TEXT PRIMARY KEY,
    root        TEXT NOT NULL,
    scanned_at  TEXT NOT NULL,
    tree_hash   TEXT NOT NULL,
    graph_hash  TEXT NOT NULL,
    files       INTEGER NOT NULL,
    services    INTEGER NOT NULL,
    document    TEXT NOT NULL
) STRICT;

CREATE INDEX scans_by_root ON scans (root, scanned_at);

PRAGMA user_version = 2;
";

/// Version 3: where a scan came from in git, and its place in the tree's
/// scan history, a chain whose entries hold each scan's tree and graph hash.
/// Scans recorded before version 3 stay listed but are not in a history chain.
pub const V3: &str = "
ALTER TABLE scans ADD COLUMN git_commit TEXT;
ALTER TABLE scans ADD COLUMN git_rev TEXT;
ALTER TABLE scans ADD COLUMN history_chain TEXT;
ALTER TABLE scans ADD COLUMN history_idx INTEGER;

PRAGMA user_version = 3;
";

/// Version 4: the incremental scan cache (`scan::cache`), per scanned root
/// and path; `fingerprint` names the scanner build that wrote the row.
pub const V4: &str = "
CREATE TABLE scan_cache (
    root        TEXT NOT NULL,
    path        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    size        INTEGER NOT NULL,
    mtime_ns    INTEGER NOT NULL,
    ctime_ns    INTEGER NOT NULL,
    inode       INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    language    TEXT,
    analysis    TEXT,
    PRIMARY KEY (root, path)
) STRICT, WITHOUT ROWID;

PRAGMA user_version = 4;
";

/// Version 5: the ledger book (`ledger::Book`) as of a ledger chain's head:
/// balances, totals and pending transfers, so an operation reads the accounts
/// it touches instead of replaying the chain. Derived data: when `ledger_heads`
/// does not name the chain's head (a chain imported or written by an older
/// build), the book is replayed from the chain and written again.
pub const V5: &str = "
CREATE TABLE ledger_heads (
    chain_id TEXT PRIMARY KEY REFERENCES chains(id),
    idx      INTEGER NOT NULL,
    y        TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE ledger_balances (
    chain_id TEXT NOT NULL REFERENCES chains(id),
    account  TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount   TEXT NOT NULL,
    PRIMARY KEY (chain_id, account, currency)
) STRICT, WITHOUT ROWID;

CREATE TABLE ledger_totals (
    chain_id TEXT NOT NULL REFERENCES chains(id),
    currency TEXT NOT NULL,
    amount   TEXT NOT NULL,
    PRIMARY KEY (chain_id, currency)
) STRICT, WITHOUT ROWID;

CREATE TABLE ledger_pending (
    chain_id    TEXT NOT NULL REFERENCES chains(id),
    idx         INTEGER NOT NULL,
    approved_by TEXT NOT NULL,
    PRIMARY KEY (chain_id, idx)
) STRICT, WITHOUT ROWID;

PRAGMA user_version = 5;
";

/// Version 6: checkpoints. File contents are blobs keyed by SHA-256, shared
/// by every checkpoint that holds them; a checkpoint lists its files' paths,
/// hashes and modes. `tree_records` keeps, per directory, the tree hash pruv
/// last recorded for it (a checkpoint, a restore, a watched run), so a
/// restore can tell whether the tree changed since.
pub const V6: &str = "
CREATE TABLE blobs (
    sha256  TEXT PRIMARY KEY,
    size    INTEGER NOT NULL,
    content BLOB NOT NULL
) STRICT;

CREATE TABLE checkpoints (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    root       TEXT NOT NULL,
    tree_hash  TEXT NOT NULL,
    files      INTEGER NOT NULL,
    bytes      INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    chain_id   TEXT NOT NULL REFERENCES chains(id),
    entry_idx  INTEGER NOT NULL
) STRICT;

CREATE INDEX checkpoints_by_root ON checkpoints (root, created_at);

CREATE TABLE checkpoint_files (
    checkpoint_id TEXT NOT NULL REFERENCES checkpoints(id),
    path          TEXT NOT NULL,
    sha256        TEXT NOT NULL REFERENCES blobs(sha256),
    mode          INTEGER NOT NULL,
    PRIMARY KEY (checkpoint_id, path)
) STRICT, WITHOUT ROWID;

CREATE TABLE tree_records (
    root        TEXT PRIMARY KEY,
    tree_hash   TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    what        TEXT NOT NULL
) STRICT, WITHOUT ROWID;

PRAGMA user_version = 6;
";

/// Version 7: content hashes of watched and checkpointed trees by path,
/// trusted while the file's stat (size, mtime, ctime, inode) is unchanged.
pub const V7: &str = "
CREATE TABLE file_hashes (
    root     TEXT NOT NULL,
    path     TEXT NOT NULL,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    inode    INTEGER NOT NULL,
    sha256   TEXT NOT NULL,
    PRIMARY KEY (root, path)
) STRICT, WITHOUT ROWID;

PRAGMA user_version = 7;
";
