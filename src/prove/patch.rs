//! Unified diffs as proposers write them: several files in one text (git's
//! `diff --git` headers or bare `---`/`+++` pairs), created and deleted
//! files, and hunks whose line numbers or counts are a little off, as
//! model-written diffs often are. Written here rather than taken from a crate because the
//! crates at hand apply one file per patch and only at the stated lines,
//! and the policy has to see every path before anything is written.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// One file's part of a patch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePatch {
    /// `None` for a file the patch creates.
    pub old_path: Option<String>,
    /// `None` for a file the patch deletes.
    pub new_path: Option<String>,
    pub hunks: Vec<Hunk>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// 1-based, as the header says (0 for a hunk into an empty file).
    pub old_start: usize,
    pub lines: Vec<Line>,
    /// The new side ends without a line break (`\ No newline at end of file`).
    pub new_ends_bare: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Context(String),
    Remove(String),
    Add(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    #[error("not a unified diff: {0}")]
    Malformed(String),
    #[error("unsafe path {0:?}: a patch names files inside the tree, relative and without `..`")]
    UnsafePath(String),
    #[error("{path}: hunk {hunk} does not apply (its context is not in the file)")]
    DoesNotApply { path: String, hunk: usize },
    #[error("{0}: a symbolic link is on its way; a patch never writes through one, which could lead out of the tree")]
    ThroughLink(String),
    #[error("{path}: {reason}")]
    Unusable { path: String, reason: String },
}

impl FilePatch {
    /// The paths this part writes (both, for a rename).
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        let renamed = self.old_path.as_deref().filter(|old| Some(*old) != self.new_path.as_deref());
        self.new_path.as_deref().into_iter().chain(renamed)
    }
}

/// Every file's part of `text`, in order.
pub fn parse(text: &str) -> Result<Vec<FilePatch>, PatchError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut files = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(old) = lines[i].strip_prefix("--- ") else {
            i += 1;
            continue;
        };
        let new = lines
            .get(i + 1)
            .and_then(|l| l.strip_prefix("+++ "))
            .ok_or_else(|| PatchError::Malformed(format!("line {}: `---` without `+++` after it", i + 1)))?;
        let mut file = FilePatch { old_path: header_path(old)?, new_path: header_path(new)?, hunks: Vec::new() };
        if file.old_path.is_none() && file.new_path.is_none() {
            return Err(PatchError::Malformed(format!("line {}: both sides are /dev/null", i + 1)));
        }
        i += 2;
        while let Some(header) = lines.get(i).filter(|l| l.starts_with("@@")) {
            let (old_start, old_len, new_len) = hunk_header(header)
                .ok_or_else(|| PatchError::Malformed(format!("line {}: bad hunk header {header:?}", i + 1)))?;
            i += 1;
            let (hunk_lines, new_ends_bare, next) = match counted(&lines, i, old_len, new_len) {
                Some(read) => read,
                // Model-written diffs often miscount; the context is what places a hunk anyway.
                None => uncounted(&lines, i),
            };
            if hunk_lines.is_empty() {
                return Err(PatchError::Malformed(format!(
                    "line {}: an empty hunk in {}",
                    i,
                    file.new_path.as_deref().or(file.old_path.as_deref()).unwrap_or("?")
                )));
            }
            i = next;
            let hunk = Hunk { old_start, lines: hunk_lines, new_ends_bare };
            file.hunks.push(hunk);
        }
        if file.hunks.is_empty() && file.old_path.is_some() && file.new_path.is_some() {
            return Err(PatchError::Malformed(format!(
                "{} has no hunks",
                file.new_path.as_deref().unwrap_or_default()
            )));
        }
        files.push(file);
    }
    if files.is_empty() {
        return Err(PatchError::Malformed("no `---`/`+++` file headers".into()));
    }
    Ok(files)
}

/// A line of a hunk, or `None` for a `\ No newline at end of file` marker.
fn hunk_line(line: &str) -> Option<Option<Line>> {
    match line.chars().next() {
        Some(' ') => Some(Some(Line::Context(line[1..].to_owned()))),
        // An empty line inside a hunk is a context line whose space an editor dropped.
        None => Some(Some(Line::Context(String::new()))),
        Some('-') => Some(Some(Line::Remove(line[1..].to_owned()))),
        Some('+') => Some(Some(Line::Add(line[1..].to_owned()))),
        Some('\\') => Some(None),
        _ => None,
    }
}

/// Where a hunk must end: the next hunk, the next file, or text that is not a diff.
fn is_boundary(lines: &[&str], i: usize) -> bool {
    let Some(line) = lines.get(i) else { return true };
    line.starts_with("@@")
        || line.starts_with("diff ")
        || (line.starts_with("--- ") && lines.get(i + 1).is_some_and(|l| l.starts_with("+++ ")))
        || line.trim().is_empty()
        || hunk_line(line).is_none()
}

/// A marker after the hunk's last added or kept line: the new text ends bare.
fn marks_bare_end(read: &[Line]) -> bool {
    !matches!(read.last(), Some(Line::Remove(_)) | None)
}

/// The hunk's lines as its header counts them, if they end where a hunk
/// ends; its new side's bare ending; the next line.
fn counted(lines: &[&str], mut i: usize, old_len: usize, new_len: usize) -> Option<(Vec<Line>, bool, usize)> {
    let (mut read, mut bare) = (Vec::new(), false);
    let (mut old_seen, mut new_seen) = (0, 0);
    while old_seen < old_len || new_seen < new_len {
        match hunk_line(lines.get(i)?)? {
            None => bare = marks_bare_end(&read),
            Some(line) => {
                match line {
                    Line::Context(_) => (old_seen, new_seen) = (old_seen + 1, new_seen + 1),
                    Line::Remove(_) => old_seen += 1,
                    Line::Add(_) => new_seen += 1,
                }
                read.push(line);
            }
        }
        i += 1;
    }
    while lines.get(i).is_some_and(|l| l.starts_with('\\')) {
        bare = marks_bare_end(&read);
        i += 1;
    }
    (old_seen == old_len && new_seen == new_len && is_boundary(lines, i)).then_some((read, bare, i))
}

/// The hunk's lines up to the next boundary, whatever its header counted;
/// blank lines at its end are taken as separators, not context.
fn uncounted(lines: &[&str], mut i: usize) -> (Vec<Line>, bool, usize) {
    let (mut read, mut bare) = (Vec::new(), false);
    while let Some(line) = lines.get(i) {
        let header = line.starts_with("@@") || line.starts_with("diff ");
        let next_file = line.starts_with("--- ") && lines.get(i + 1).is_some_and(|l| l.starts_with("+++ "));
        if header || next_file {
            break;
        }
        match hunk_line(line) {
            None => break,
            Some(None) => bare = marks_bare_end(&read),
            Some(Some(parsed)) => read.push(parsed),
        }
        i += 1;
    }
    while matches!(read.last(), Some(Line::Context(text)) if text.is_empty()) {
        read.pop();
    }
    (read, bare, i)
}

/// The path of a `---`/`+++` header: git's `a/`/`b/` prefixes and a
/// trailing timestamp taken off; `/dev/null` is none.
fn header_path(header: &str) -> Result<Option<String>, PatchError> {
    let raw = header.split('\t').next().unwrap_or_default().trim();
    if raw == "/dev/null" {
        return Ok(None);
    }
    let raw = raw.strip_prefix("a/").or_else(|| raw.strip_prefix("b/")).unwrap_or(raw);
    safe_relative(raw).map(Some)
}

/// `path` as a plain relative path inside the tree, or why not.
pub fn safe_relative(path: &str) -> Result<String, PatchError> {
    let unsafe_path = || PatchError::UnsafePath(path.to_owned());
    if path.is_empty() || path.contains('\\') || path.contains('\0') {
        return Err(unsafe_path());
    }
    let mut parts = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str().ok_or_else(unsafe_path)?),
            Component::CurDir => {}
            _ => return Err(unsafe_path()),
        }
    }
    if parts.is_empty() {
        return Err(unsafe_path());
    }
    Ok(parts.join("/"))
}

/// `@@ -a,b +c,d @@` → (a, b, d); a missing count is 1.
fn hunk_header(line: &str) -> Option<(usize, usize, usize)> {
    let inner = line.strip_prefix("@@ ")?.split(" @@").next()?;
    let mut sides = inner.split(' ');
    let range = |s: &str| -> Option<(usize, usize)> {
        let (start, len) = s.split_once(',').unwrap_or((s, "1"));
        Some((start.parse().ok()?, len.parse().ok()?))
    };
    let (old_start, old_len) = range(sides.next()?.strip_prefix('-')?)?;
    let (_, new_len) = range(sides.next()?.strip_prefix('+')?)?;
    Some((old_start, old_len, new_len))
}

/// A file's text as lines without their breaks, and how it ends.
struct Text {
    lines: Vec<String>,
    ends_with_break: bool,
    crlf: bool,
}

impl Text {
    fn read(content: &str) -> Text {
        let crlf = content.contains("\r\n");
        let ends_with_break = content.is_empty() || content.ends_with('\n');
        let lines = content.lines().map(|l| l.strip_suffix('\r').unwrap_or(l).to_owned()).collect();
        Text { lines, ends_with_break, crlf }
    }

    fn render(&self) -> String {
        let newline = if self.crlf { "\r\n" } else { "\n" };
        let mut out = self.lines.join(newline);
        if self.ends_with_break && !self.lines.is_empty() {
            out += newline;
        }
        out
    }
}

/// `content` with `file`'s hunks applied. A hunk is looked for at its
/// stated line first, then ever further from it, so line numbers that are
/// off still apply where the context is unambiguous nearest.
pub fn apply_to(content: &str, file: &FilePatch) -> Result<String, PatchError> {
    let path = file.new_path.as_deref().or(file.old_path.as_deref()).unwrap_or_default().to_owned();
    let mut text = Text::read(content);
    let mut offset: isize = 0;
    for (n, hunk) in file.hunks.iter().enumerate() {
        let old: Vec<&str> = hunk
            .lines
            .iter()
            .filter_map(|l| match l {
                Line::Context(s) | Line::Remove(s) => Some(s.as_str()),
                Line::Add(_) => None,
            })
            .collect();
        let new: Vec<String> = hunk
            .lines
            .iter()
            .filter_map(|l| match l {
                Line::Context(s) | Line::Add(s) => Some(s.clone()),
                Line::Remove(_) => None,
            })
            .collect();
        // A hunk with no old lines inserts after line `old_start`.
        let stated = if old.is_empty() { hunk.old_start } else { hunk.old_start.saturating_sub(1) };
        let hint = (stated as isize + offset).clamp(0, text.lines.len() as isize) as usize;
        let at = find(&text.lines, &old, hint)
            .ok_or_else(|| PatchError::DoesNotApply { path: path.clone(), hunk: n + 1 })?;
        let touches_end = at + old.len() == text.lines.len();
        offset += new.len() as isize - old.len() as isize + at as isize - hint as isize;
        text.lines.splice(at..at + old.len(), new);
        if touches_end {
            text.ends_with_break = !hunk.new_ends_bare;
        }
    }
    Ok(text.render())
}

/// Where `needle` occurs in `lines`, nearest `hint` first.
fn find(lines: &[String], needle: &[&str], hint: usize) -> Option<usize> {
    if needle.is_empty() {
        return Some(hint.min(lines.len()));
    }
    let fits = |at: usize| {
        at + needle.len() <= lines.len() && lines[at..at + needle.len()].iter().zip(needle).all(|(a, b)| a == b)
    };
    let last = lines.len().checked_sub(needle.len())?;
    (0..=last.max(hint))
        .flat_map(|d| [hint.checked_sub(d), hint.checked_add(d).filter(|_| d > 0)])
        .flatten()
        .find(|&at| at <= last && fits(at))
}

/// The files a patch leaves, computed in full before any is written, so a
/// hunk that does not apply leaves the tree as it was. `None`: deleted.
pub fn plan(root: &Path, files: &[FilePatch], max_file: u64) -> Result<BTreeMap<String, Option<String>>, PatchError> {
    let mut results: BTreeMap<String, Option<String>> = BTreeMap::new();
    for file in files {
        let read_path = file.old_path.as_deref();
        let current = match read_path {
            Some(path) => match results.get(path) {
                Some(planned) => planned.clone(),
                None => read_current(root, path, max_file)?,
            },
            None => None,
        };
        let base = match (read_path, &current) {
            (Some(path), None) => {
                return Err(PatchError::Unusable {
                    path: path.to_owned(),
                    reason: "the patch changes a file that does not exist".into(),
                });
            }
            (None, _) => {
                let path = file.new_path.as_deref().unwrap_or_default();
                if results.get(path).cloned().flatten().is_some()
                    || (!results.contains_key(path) && read_current(root, path, max_file)?.is_some())
                {
                    return Err(PatchError::Unusable {
                        path: path.to_owned(),
                        reason: "the patch creates a file that already exists".into(),
                    });
                }
                String::new()
            }
            (Some(_), Some(text)) => text.clone(),
        };
        let patched = apply_to(&base, file)?;
        if let (Some(old), Some(new)) = (&file.old_path, &file.new_path)
            && old != new
        {
            results.insert(old.clone(), None);
        }
        match &file.new_path {
            Some(new) => results.insert(new.clone(), Some(patched)),
            None => results.insert(file.old_path.clone().unwrap_or_default(), None),
        };
    }
    Ok(results)
}

/// A file's text in the tree, or `None` when there is none. Refuses to go
/// through a symbolic link, which could lead out of the tree.
pub fn read_current(root: &Path, path: &str, max_file: u64) -> Result<Option<String>, PatchError> {
    let full = inside(root, path)?;
    match std::fs::symlink_metadata(&full) {
        Err(_) => Ok(None),
        Ok(meta) if meta.file_type().is_symlink() => Err(PatchError::ThroughLink(path.to_owned())),
        Ok(meta) if !meta.is_file() => {
            Err(PatchError::Unusable { path: path.to_owned(), reason: "not a regular file".into() })
        }
        Ok(_) => {
            let bytes = crate::bounded::read_file(&full, path, max_file)
                .map_err(|e| PatchError::Unusable { path: path.to_owned(), reason: e.to_string() })?;
            String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| PatchError::Unusable { path: path.to_owned(), reason: "not UTF-8 text".into() })
        }
    }
}

/// `root/path`, refusing a path whose directories are links.
fn inside(root: &Path, path: &str) -> Result<PathBuf, PatchError> {
    let relative = safe_relative(path)?;
    let mut full = root.to_path_buf();
    let parts: Vec<&str> = relative.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        full.push(part);
        if i + 1 < parts.len() && std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(PatchError::ThroughLink(path.to_owned()));
        }
    }
    Ok(full)
}

/// Writes a plan: each file through a temporary file renamed into place.
pub fn write(root: &Path, planned: &BTreeMap<String, Option<String>>) -> std::io::Result<()> {
    for (path, content) in planned {
        let full = inside(root, path).map_err(std::io::Error::other)?;
        match content {
            None => match std::fs::remove_file(&full) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            },
            Some(text) => {
                let dir = full.parent().unwrap_or(root);
                std::fs::create_dir_all(dir)?;
                let mut temp = tempfile::NamedTempFile::new_in(dir)?;
                std::io::Write::write_all(&mut temp, text.as_bytes())?;
                let mode = std::fs::metadata(&full).map(|m| m.permissions());
                let temp = temp.into_temp_path();
                if let Ok(mode) = mode {
                    std::fs::set_permissions(&temp, mode)?;
                }
                temp.persist(&full).map_err(|e| e.error)?;
            }
        }
    }
    Ok(())
}

/// One unified diff of `before` → `after` per changed file, in path order
/// (`None`: the file does not exist on that side).
pub fn unified(changes: &BTreeMap<String, (Option<String>, Option<String>)>) -> String {
    changes
        .iter()
        .map(|(path, (before, after))| crate::unified::file_diff(path, before.as_deref(), after.as_deref()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_FILES: &str = "\
diff --git a/src/calc.py b/src/calc.py
--- a/src/calc.py
+++ b/src/calc.py
@@ -1,3 +1,3 @@
 def add(a, b):
-    return a - b
+    return a + b
 
--- /dev/null
+++ b/NOTES.md
@@ -0,0 +1,2 @@
+# Notes
+fixed add
";

    #[test]
    fn reads_several_files_creations_and_git_prefixes() {
        let files = parse(TWO_FILES).unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].old_path.as_deref(), Some("src/calc.py"));
        assert_eq!(files[0].hunks[0].lines.len(), 4);
        assert_eq!((files[1].old_path.as_deref(), files[1].new_path.as_deref()), (None, Some("NOTES.md")));
        let calc = apply_to("def add(a, b):\n    return a - b\n\n", &files[0]).unwrap();
        assert_eq!(calc, "def add(a, b):\n    return a + b\n\n");
        assert_eq!(apply_to("", &files[1]).unwrap(), "# Notes\nfixed add\n");
    }

    #[test]
    fn hunks_apply_where_their_context_is_even_when_the_line_numbers_are_off() {
        let file = &parse("--- a/x\n+++ b/x\n@@ -2,2 +2,2 @@\n c\n-d\n+D\n").unwrap()[0];
        let content = "a\nb\nq\nr\nc\nd\ne\n";
        assert_eq!(apply_to(content, file).unwrap(), "a\nb\nq\nr\nc\nD\ne\n");
        assert_eq!(apply_to("a\nb\n", file), Err(PatchError::DoesNotApply { path: "x".into(), hunk: 1 }));
        // The nearest occurrence to the stated line wins.
        let twice = "c\nd\nz\nz\nz\nz\nz\nz\nc\nd\n";
        assert_eq!(apply_to(twice, file).unwrap(), "c\nD\nz\nz\nz\nz\nz\nz\nc\nd\n");
    }

    #[test]
    fn miscounted_hunks_are_read_by_their_lines_and_counted_ones_by_their_counts() {
        // A model's diff: the header promises 2/2, the hunk holds 3/3, then prose.
        let sloppy = "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n c\n\nThat should do it.\n";
        let file = &parse(sloppy).unwrap()[0];
        assert_eq!(file.hunks[0].lines.len(), 4);
        assert_eq!(apply_to("a\nb\nc\n", file).unwrap(), "a\nB\nc\n");
        // Two miscounted hunks and a second file: each ends at the next header.
        let two =
            "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+A\n b\n@@ -9 +9 @@\n-z\n+Z\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-q\n+Q\n";
        let files = parse(two).unwrap();
        assert_eq!((files.len(), files[0].hunks.len()), (2, 2));
        assert_eq!(apply_to("a\nb\nz\n", &files[0]).unwrap(), "A\nb\nZ\n");
        // Counts that hold are trusted: a removed SQL comment `-- x` reads as `--- x`.
        let sql = "--- a/q.sql\n+++ b/q.sql\n@@ -1,2 +1,1 @@\n--- x\n select 1;\n";
        let file = &parse(sql).unwrap()[0];
        assert_eq!(apply_to("-- x\nselect 1;\n", file).unwrap(), "select 1;\n");
    }

    #[test]
    fn line_endings_and_missing_final_breaks_are_kept_or_changed_as_the_patch_says() {
        let file = &parse("--- a/x\n+++ b/x\n@@ -1,1 +1,1 @@\n-a\n+b\n").unwrap()[0];
        assert_eq!(apply_to("a\r\n", file).unwrap(), "b\r\n");
        assert_eq!(apply_to("a", file).unwrap(), "b\n");
        let bare = &parse("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n\\ No newline at end of file\n").unwrap()[0];
        assert_eq!(apply_to("a\n", bare).unwrap(), "b");
    }

    #[test]
    fn paths_out_of_the_tree_and_broken_diffs_are_refused() {
        for bad in
            ["--- a/../x\n+++ b/../x\n@@ -1 +1 @@\n-a\n+b\n", "--- /etc/passwd\n+++ /etc/passwd\n@@ -1 +1 @@\n-a\n+b\n"]
        {
            assert!(matches!(parse(bad), Err(PatchError::UnsafePath(_))), "{bad}");
        }
        assert!(matches!(parse("just words"), Err(PatchError::Malformed(_))));
        assert!(matches!(parse("--- a/x\n+++ b/x\n@@ -1 +1 @@\n"), Err(PatchError::Malformed(_))));
        assert!(matches!(parse("--- a/x\nnot a header\n"), Err(PatchError::Malformed(_))));
    }

    #[test]
    fn a_plan_is_all_or_nothing_and_never_follows_links() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/calc.py"), "def add(a, b):\n    return a - b\n\n").unwrap();
        let files = parse(TWO_FILES).unwrap();
        let planned = plan(dir.path(), &files, 1 << 20).unwrap();
        write(dir.path(), &planned).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("src/calc.py")).unwrap(),
            "def add(a, b):\n    return a + b\n\n"
        );
        assert!(dir.path().join("NOTES.md").is_file());
        // Applying it again: the first file no longer matches, the second exists. Nothing planned.
        assert!(plan(dir.path(), &files, 1 << 20).is_err());

        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
            let through = parse("--- /dev/null\n+++ b/out/evil\n@@ -0,0 +1 @@\n+x\n").unwrap();
            assert!(matches!(plan(dir.path(), &through, 1 << 20), Err(PatchError::ThroughLink(_))));
        }
    }

    #[test]
    fn the_final_diff_applies_back_onto_the_original() {
        let mut changes = BTreeMap::new();
        changes.insert("a.txt".to_owned(), (Some("one\ntwo\n".to_owned()), Some("one\n2\n".to_owned())));
        changes.insert("new.txt".to_owned(), (None, Some("hi\n".to_owned())));
        let text = unified(&changes);
        let files = parse(&text).unwrap();
        assert_eq!(apply_to("one\ntwo\n", &files[0]).unwrap(), "one\n2\n");
        assert_eq!(files[1].old_path, None);
        assert_eq!(apply_to("", &files[1]).unwrap(), "hi\n");
    }

    mod roundtrip {
        use super::*;
        use proptest::prelude::*;

        /// Lines from a small alphabet, so contexts repeat as in real code.
        fn text() -> impl Strategy<Value = Vec<String>> {
            prop::collection::vec(prop::sample::select(vec!["a", "b", "c", "}", "", "fn x() {"]), 0..40)
                .prop_map(|lines| lines.into_iter().map(str::to_owned).collect())
        }

        fn joined(lines: &[String], final_break: bool) -> String {
            let mut text = lines.join("\n");
            if final_break && !lines.is_empty() {
                text.push('\n');
            }
            text
        }

        proptest! {
            /// Whatever the edit, the diff pruv writes for final.patch is read back
            /// and applied to the original to give the edited text, final line break included.
            #[test]
            fn a_written_diff_applies_back(before in text(), after in text(), breaks in (any::<bool>(), any::<bool>())) {
                let (old, new) = (joined(&before, breaks.0), joined(&after, breaks.1));
                let mut changes = BTreeMap::new();
                changes.insert("f.txt".to_owned(), (Some(old.clone()), Some(new.clone())));
                let diff = unified(&changes);
                prop_assume!(!diff.is_empty());
                let files = parse(&diff).map_err(|e| TestCaseError::fail(format!("{e}\n{diff}")))?;
                prop_assert_eq!(apply_to(&old, &files[0]).unwrap(), new);
            }

            /// Lines added above the hunks (a diff made against an older
            /// version) shift them; they still land where their context is.
            #[test]
            fn hunks_follow_their_context_when_lines_moved(
                (n, edits, shift) in (5usize..60).prop_flat_map(|n| (Just(n), prop::collection::btree_set(0..n, 1..5), 1usize..30))
            ) {
                let before: Vec<String> = (0..n).map(|i| format!("line {i}")).collect();
                let mut after = before.clone();
                for &e in &edits {
                    after[e] = format!("changed {e}");
                }
                let mut changes = BTreeMap::new();
                changes.insert("f.txt".to_owned(), (Some(joined(&before, true)), Some(joined(&after, true))));
                let files = parse(&unified(&changes)).unwrap();
                let prefix: String = (0..shift).map(|i| format!("new {i}\n")).collect();
                let applied = apply_to(&format!("{prefix}{}", joined(&before, true)), &files[0]).unwrap();
                prop_assert_eq!(applied, format!("{prefix}{}", joined(&after, true)));
            }
        }
    }
}
