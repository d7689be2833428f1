//! A regression guard on the scanner's work, counted rather than timed so
//! that it holds on any machine: for each fixture, how many files tree-sitter
//! parses, how many bytes, and how many rule files run over them, against
//! the baseline in `tests/work-baseline.json` (5% and a little slack).
//!
//! A change that makes the scanner parse more fails here; one that makes it
//! parse less asks for the baseline to be lowered. To accept new numbers:
//! `PRUV_UPDATE_WORK_BASELINE=1 cargo test --test work_guard`.

mod common;

use std::collections::BTreeMap;

use pruv::scan::{ScanOptions, scan};

const FIXTURES: [&str; 4] = ["fullstack", "grpc-polyglot", "monorepo", "hard-cases"];
const BASELINE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/work-baseline.json");

type Counts = BTreeMap<String, u64>;

fn counted(fixture: &str) -> Counts {
    let options = ScanOptions { threads: 1, ..Default::default() };
    let outcome = scan(&common::fixture(fixture), fixture, &options).expect("fixture scans");
    let work = outcome.work;
    Counts::from([
        ("files".to_owned(), outcome.document.stats.files),
        ("analysed".to_owned(), work.analysed),
        ("parsed".to_owned(), work.parsed),
        ("parsed_bytes".to_owned(), work.parsed_bytes),
        ("rule_files".to_owned(), work.rule_files),
    ])
}

#[test]
fn the_scanner_parses_no_more_than_the_baseline() {
    let now: BTreeMap<String, Counts> = FIXTURES.iter().map(|f| ((*f).to_owned(), counted(f))).collect();
    if std::env::var_os("PRUV_UPDATE_WORK_BASELINE").is_some() {
        std::fs::write(BASELINE, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
        return;
    }
    let baseline: BTreeMap<String, Counts> =
        serde_json::from_str(&std::fs::read_to_string(BASELINE).expect("tests/work-baseline.json")).unwrap();
    let mut over = Vec::new();
    let mut under = Vec::new();
    for (fixture, counts) in &now {
        let Some(expected) = baseline.get(fixture) else {
            over.push(format!("{fixture}: not in the baseline"));
            continue;
        };
        for (metric, value) in counts {
            let allowed = expected.get(metric).copied().unwrap_or(0);
            if *value > allowed + allowed / 20 + 2 {
                over.push(format!("{fixture}.{metric}: {value} > baseline {allowed}"));
            } else if *value + value / 5 + 2 < allowed {
                under.push(format!("{fixture}.{metric}: {value} < baseline {allowed}"));
            }
        }
    }
    assert!(over.is_empty(), "the scanner does more work than before:\n{}", over.join("\n"));
    assert!(
        under.is_empty(),
        "the scanner does much less work than the baseline says; lower it \
         (PRUV_UPDATE_WORK_BASELINE=1 cargo test --test work_guard):\n{}",
        under.join("\n")
    );
}
