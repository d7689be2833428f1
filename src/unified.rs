//! Unified diffs in the form git writes and `git apply` / `patch -p1` take.
//! The hunks come from `similar`; their headers are written here, counted
//! from the lines each hunk holds: similar 2.7's own can start the new side
//! a line late and count one line short when a hunk opens with a deletion,
//! and `git apply` trusts the count and silently drops the hunk's last line.

/// The diff of one file from `before` to `after` (`None`: the file does not
/// exist on that side), with `diff --git`, `a/` and `b/` headers; empty when
/// they are the same.
pub fn file_diff(path: &str, before: Option<&str>, after: Option<&str>) -> String {
    if before == after {
        return String::new();
    }
    let (old, new) = (before.unwrap_or_default(), after.unwrap_or_default());
    let old_name = if before.is_some() { format!("a/{path}") } else { "/dev/null".to_owned() };
    let new_name = if after.is_some() { format!("b/{path}") } else { "/dev/null".to_owned() };
    let mut out = format!("diff --git a/{path} b/{path}\n--- {old_name}\n+++ {new_name}\n");
    let diff = similar::TextDiff::from_lines(old, new);
    // Lines gained so far: a hunk starts this much later in the new text.
    let mut gained: isize = 0;
    for group in diff.grouped_ops(3) {
        let Some(first) = group.first() else { continue };
        let mut body = String::new();
        let (mut old_len, mut new_len) = (0usize, 0usize);
        for op in &group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Equal => {
                        (old_len, new_len) = (old_len + 1, new_len + 1);
                        ' '
                    }
                    similar::ChangeTag::Delete => {
                        old_len += 1;
                        '-'
                    }
                    similar::ChangeTag::Insert => {
                        new_len += 1;
                        '+'
                    }
                };
                let text = change.value();
                body.push(sign);
                body += text.strip_suffix('\n').unwrap_or(text);
                body.push('\n');
                if change.missing_newline() {
                    body += "\\ No newline at end of file\n";
                }
            }
        }
        let old_start = first.old_range().start;
        let new_start = (old_start as isize + gained).max(0) as usize;
        gained += new_len as isize - old_len as isize;
        out += &format!("@@ -{} +{} @@\n{body}", hunk_range(old_start, old_len), hunk_range(new_start, new_len));
    }
    out
}

/// A hunk header's range from its 0-based start: `start,len` 1-based,
/// `start` alone for one line, and for no lines the line before (`0,0` at the top).
fn hunk_range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        n => format!("{},{n}", start + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prove::patch;

    /// Regression (found by the roundtrip property): a hunk that opens with a
    /// deletion, where similar's own header said `+2,20` over 21 new lines and
    /// `git apply` dropped the last one. final.patch must apply, by pruv and by git, to the exact text.
    #[test]
    fn final_patch_is_taken_by_git_apply() {
        let before = ["fn x() {", "c", "a", "a", "", "", "c", "a", "b", "c", "a"].join("\n") + "\n";
        let after =
            ["c", "b", "b", "b", "c", "", "", "a", "c", "c", "b", "}", "b", "}", "b", "}", "}", "a", "a", "a", "a"]
                .join("\n");
        let text = file_diff("f.txt", Some(&before), Some(&after));
        assert!(text.contains("@@ -1,11 +1,21 @@"), "{text}");
        assert_eq!(patch::apply_to(&before, &patch::parse(&text).unwrap()[0]).unwrap(), after);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f.txt"), &before).unwrap();
        std::fs::write(dir.path().join("final.patch"), &text).unwrap();
        let git = std::process::Command::new("git").args(["apply", "final.patch"]).current_dir(dir.path()).output();
        let Ok(git) = git else { return }; // No git on this machine: the parse above still holds.
        assert!(git.status.success(), "{}", String::from_utf8_lossy(&git.stderr));
        assert_eq!(std::fs::read_to_string(dir.path().join("f.txt")).unwrap(), after);
    }

    #[test]
    fn creations_deletions_and_no_change() {
        assert_eq!(file_diff("x", Some("a\n"), Some("a\n")), "");
        let created = file_diff("x", None, Some("a\n"));
        assert!(created.contains("--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+a\n"), "{created}");
        let deleted = file_diff("x", Some("a\nb\n"), None);
        assert!(deleted.contains("--- a/x\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n"), "{deleted}");
    }
}
