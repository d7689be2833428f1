//! The canonical form is exactly CPython's `json.dumps(v, sort_keys=True,
//! separators=(",", ":"))`: checked on thousands of generated values
//! against the machine's python3. Skipped (and says so) without python3.

use std::io::Write as _;
use std::process::{Command, Stdio};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use pruv::core::json;

mod common;

#[test]
fn canonical_json_matches_cpython_byte_for_byte() {
    let mut runner = TestRunner::deterministic();
    let strategy = common::strategies::any_json_value();
    let values: Vec<_> = (0..3000).map(|_| strategy.new_tree(&mut runner).unwrap().current()).collect();
    // Sent in pruv's order-preserving compact form, so Python does the sorting itself.
    let input: String = values.iter().map(|v| json::compact(v) + "\n").collect();

    let script = "import sys, json\nfor line in sys.stdin:\n    print(json.dumps(json.loads(line), sort_keys=True, separators=(',', ':')))";
    let child = Command::new("python3").arg("-c").arg(script).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn();
    let Ok(mut child) = child else {
        eprintln!("SKIPPED: python3 is not available");
        return;
    };
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success());
    let python = String::from_utf8(output.stdout).unwrap();
    let mut compared = 0;
    for (value, expected) in values.iter().zip(python.lines()) {
        assert_eq!(json::canonical(value), expected, "value {value:?}");
        compared += 1;
    }
    assert_eq!(compared, values.len());
}
