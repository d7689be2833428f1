//! What a proposer is shown of a failed attempt: the end of each command's
//! output (secrets redacted), the tests that failed, and the places the
//! output points at (file:line) with the source around them. Kept small:
//! a proposer needs the failure, not the whole log.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::sandbox::RunOutput;
use crate::run::redact::Redactor;

/// The end of each stream a proposer is shown.
pub const TAIL_BYTES: usize = 8 * 1024;
/// Lines of source shown on each side of a location.
pub const SOURCE_RADIUS: usize = 5;
const MAX_LOCATIONS: usize = 12;
const MAX_TESTS: usize = 50;

#[derive(Debug, Clone, Serialize)]
pub struct Context {
    pub schema: &'static str,
    pub attempt: u32,
    pub runs: Vec<RunSummary>,
    pub failing_tests: Vec<String>,
    pub locations: Vec<Location>,
    /// What became of the earlier proposals, so a proposer does not repeat one.
    pub previous: Vec<Previous>,
    /// The session's patches applied so far, as one diff against the
    /// original tree: the files are already so, and a new patch applies on top.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub applied: String,
    /// The limits the patch must keep.
    pub rules: Rules,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    pub command: String,
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    pub stdout_tail: String,
    pub stderr_tail: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub source: Vec<SourceLine>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SourceLine {
    pub line: usize,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Previous {
    pub attempt: u32,
    pub outcome: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rules {
    pub write_allow: Vec<String>,
    pub write_deny: Vec<String>,
    pub files_changed_left: usize,
    pub patch_bytes: usize,
}

/// How test runners name a failed test, one pattern per convention; the
/// first group is the test's name.
static FAILING_TEST: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // pytest: `FAILED tests/test_x.py::test_y - AssertionError`
        r"(?m)^FAILED (\S+::\S+)",
        // unittest: `FAIL: test_y (tests.test_x.TestX)`
        r"(?m)^(?:FAIL|ERROR): (\S+ \([\w.]+\))",
        // cargo test / libtest: `test a::b ... FAILED`, `a::b --- FAILED` (-q),
        // and the failures list `---- a::b stdout ----`
        r"(?m)^test (\S+) \.\.\. FAILED",
        r"(?m)^(\S+) --- FAILED$",
        r"(?m)^---- (\S+) stdout ----$",
        // go test: `--- FAIL: TestY (0.00s)`
        r"(?m)^\s*--- FAIL: (\S+)",
        // jest and vitest: `✕ adds numbers (3 ms)`
        r"(?m)^\s*[✕×] (.+?)(?: \(\d+ ?m?s\))?$",
        // Maven surefire: `testY(com.x.XTest)  Time elapsed: 0.1 s  <<< FAILURE!`
        r"(?m)^(?:\[ERROR\] )?(\S+)\s+Time elapsed:.*<<< (?:FAILURE|ERROR)!",
        // RSpec: `rspec ./spec/x_spec.rb:12 # X does y`
        r"(?m)^rspec (\./\S+:\d+)",
        // TAP (node --test, prove, bats): `not ok 3 - adds numbers`
        r"(?m)^not ok \d+ - (.+)$",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("a valid pattern"))
    .collect()
});

/// How tools point at source: `path:line[:col]` (compilers, linters, Go,
/// Node stacks), `path(line,col)` (tsc, the C# compiler, MSBuild), Python's
/// `File "path", line N`, and JVM stack frames `(File.java:42)`, which
/// name the file only.
static LOCATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"File "(?P<py>[^"]+)", line (?P<pyline>\d+)|\((?P<jvm>[\w$]+\.(?:java|kt|scala|groovy)):(?P<jvmline>\d+)\)|(?P<path>[\w.\-/@+]+\.[A-Za-z0-9]+)(?::(?P<line>\d+)|\((?P<msline>\d+),\d+\))"#,
    )
    .expect("a valid pattern")
});

/// The tests `output` says failed, in order, once each.
pub fn failing_tests(output: &str) -> Vec<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for pattern in FAILING_TEST.iter() {
        for captures in pattern.captures_iter(output) {
            let name = captures.get(1).expect("one group");
            found.push((name.start(), name.as_str().trim().to_owned()));
        }
    }
    found.sort();
    let mut seen = BTreeSet::new();
    found.into_iter().map(|(_, name)| name).filter(|n| seen.insert(n.clone())).take(MAX_TESTS).collect()
}

/// The files of the tree that `output` points at, with the line, in order of
/// mention; paths outside the tree (the standard library, site-packages)
/// are left out.
pub fn locations(output: &str, root: &Path, files: &BTreeSet<String>) -> Vec<(String, usize)> {
    let root_text = format!("{}/", root.display());
    let by_name: BTreeMap<&str, Vec<&String>> = files.iter().fold(BTreeMap::new(), |mut map, path| {
        map.entry(path.rsplit('/').next().unwrap_or(path)).or_default().push(path);
        map
    });
    let mut found = Vec::new();
    for captures in LOCATION.captures_iter(output) {
        let (raw, line) = match (captures.name("py"), captures.name("jvm"), captures.name("path")) {
            (Some(p), _, _) => (p.as_str(), &captures["pyline"]),
            (_, Some(j), _) => (j.as_str(), &captures["jvmline"]),
            (_, _, Some(p)) => {
                (p.as_str(), captures.name("line").or(captures.name("msline")).map_or("", |m| m.as_str()))
            }
            _ => continue,
        };
        let Ok(line) = line.parse::<usize>() else { continue };
        let relative = raw.strip_prefix(&root_text).unwrap_or(raw);
        let relative = relative.strip_prefix("./").unwrap_or(relative);
        let file = if files.contains(relative) {
            Some(relative.to_owned())
        } else if captures.name("jvm").is_some() {
            // A JVM frame names the file alone: taken when one file of the tree has that name.
            by_name.get(relative).filter(|paths| paths.len() == 1).map(|paths| paths[0].clone())
        } else {
            None
        };
        if let Some(file) = file
            && line > 0
            && !found.contains(&(file.clone(), line))
        {
            found.push((file, line));
        }
    }
    found
}

/// The lines around `line` of `root/file`.
pub fn source_around(root: &Path, file: &str, line: usize) -> Vec<SourceLine> {
    let Ok(bytes) = crate::bounded::read_file(&root.join(file), file, 4 << 20) else { return Vec::new() };
    let text = String::from_utf8_lossy(&bytes);
    let first = line.saturating_sub(SOURCE_RADIUS).max(1);
    text.lines()
        .enumerate()
        .map(|(i, t)| (i + 1, t))
        .skip(first - 1)
        .take(line + SOURCE_RADIUS + 1 - first)
        .map(|(n, t)| SourceLine { line: n, text: t.to_owned() })
        .collect()
}

/// The context of a failed attempt.
pub fn build(
    attempt: u32,
    runs: &[RunOutput],
    root: &Path,
    files: &BTreeSet<String>,
    redactor: &Redactor,
    previous: Vec<Previous>,
    rules: Rules,
) -> Context {
    let failed: Vec<&RunOutput> = runs.iter().filter(|r| !r.passed()).collect();
    let all_output: String = failed.iter().map(|r| format!("{}\n{}\n", r.stdout.kept, r.stderr.kept)).collect();
    let failing_tests = failing_tests(&all_output).into_iter().map(|t| redactor.redact(&t)).collect();
    let locations = locations(&all_output, root, files)
        .into_iter()
        .take(MAX_LOCATIONS)
        .map(|(file, line)| Location { source: source_around(root, &file, line), file, line })
        .collect();
    let runs = runs
        .iter()
        .map(|r| RunSummary {
            command: redactor.redact(&r.command),
            exit_code: r.exit_code,
            timed_out: r.timed_out,
            stdout_tail: redactor.redact(tail(&r.stdout.kept)),
            stderr_tail: redactor.redact(tail(&r.stderr.kept)),
        })
        .collect();
    Context {
        schema: "pruv.prove.context/1",
        attempt,
        runs,
        failing_tests,
        locations,
        previous,
        applied: String::new(),
        rules,
    }
}

fn tail(text: &str) -> &str {
    let mut start = text.len().saturating_sub(TAIL_BYTES);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_tests_are_named_by_each_runners_convention() {
        let cases: &[(&str, &str)] = &[
            ("FAILED tests/test_calc.py::test_add - assert 1 == 2", "tests/test_calc.py::test_add"),
            ("FAIL: test_add (tests.test_calc.CalcTest)", "test_add (tests.test_calc.CalcTest)"),
            ("test calc::adds ... FAILED", "calc::adds"),
            ("tests::doubles --- FAILED", "tests::doubles"),
            ("---- tests::doubles stdout ----", "tests::doubles"),
            ("    --- FAIL: TestAdd (0.00s)", "TestAdd"),
            ("  ✕ adds numbers (3 ms)", "adds numbers"),
            ("[ERROR] testAdd(com.x.CalcTest)  Time elapsed: 0.01 s  <<< FAILURE!", "testAdd(com.x.CalcTest)"),
            ("rspec ./spec/calc_spec.rb:4 # Calc adds", "./spec/calc_spec.rb:4"),
            ("not ok 2 - adds numbers", "adds numbers"),
        ];
        for (output, name) in cases {
            assert_eq!(failing_tests(output), vec![name.to_string()], "{output}");
        }
        assert!(failing_tests("test calc::adds ... ok\nall passed").is_empty());
        assert_eq!(failing_tests("--- FAIL: TestA\n--- FAIL: TestB\n--- FAIL: TestA\n"), ["TestA", "TestB"]);
    }

    #[test]
    fn locations_are_the_trees_own_files_in_every_pointing_convention() {
        let root = Path::new("/tmp/pruv-prove-x");
        let files: BTreeSet<String> = [
            "src/calc.py",
            "tests/test_calc.py",
            "src/main/java/com/x/Calc.java",
            "a/util.go",
            "b/util.go",
            "src/app.ts",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        let output = "\
  File \"/tmp/pruv-prove-x/tests/test_calc.py\", line 7, in test_add
  File \"/usr/lib/python3.12/unittest/case.py\", line 58, in testPartExecutor
src/calc.py:3: AssertionError
    at com.x.Calc.add(Calc.java:12)
./a/util.go:9:2: undefined: x
util.go:4: ambiguous
src/calc.py:3: said twice
src/app.ts(14,7): error TS2322: Type 'string' is not assignable to type 'number'.
";
        assert_eq!(
            locations(output, root, &files),
            [
                ("tests/test_calc.py".to_owned(), 7),
                ("src/calc.py".to_owned(), 3),
                ("src/main/java/com/x/Calc.java".to_owned(), 12),
                ("a/util.go".to_owned(), 9),
                ("src/app.ts".to_owned(), 14),
            ]
        );
    }

    #[test]
    fn source_is_shown_around_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let text: String = (1..=30).map(|i| format!("line {i}\n")).collect();
        std::fs::write(dir.path().join("f.txt"), text).unwrap();
        let around = source_around(dir.path(), "f.txt", 10);
        assert_eq!((around.first().unwrap().line, around.last().unwrap().line), (5, 15));
        assert_eq!(around[5].text, "line 10");
        assert_eq!(source_around(dir.path(), "f.txt", 2).first().unwrap().line, 1);
        assert_eq!(source_around(dir.path(), "f.txt", 29).last().unwrap().line, 30);
    }
}
