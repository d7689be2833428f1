//! Writes a synthetic exported chain for benchmarks:
//! `cargo run --release --example make_chain -- ENTRIES OUT.json`.
//! Entries have realistic states; every 100th is signed; the head is signed.

use pruv::core::chain::Chain;
use pruv::core::entry::Transition;
use pruv::core::json::{self, Number};
use pruv::core::sign::SecretKey;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: make_chain ENTRIES OUT.json";
    let count: u64 = args.next().ok_or(usage)?.parse()?;
    let out = args.next().ok_or(usage)?;
    let key = SecretKey::from_seed([1; 32], Some("bench".into()));
    let mut chain = Chain::new("bench0000001", "bench");
    for i in 0..count {
        let state = json::parse(&format!(
            r#"{{"step":{i},"service":"billing","amount":{}.{:02},"currency":"EUR","tags":["batch","é"],"ok":true}}"#,
            i * 7 % 10_000,
            i % 100
        ))?;
        let mut transition = Transition::new(if i % 10 == 0 { "checkpoint" } else { "charge" }, Some(state));
        transition.timestamp = Some(Number::Float(1_700_000_000.0 + i as f64 * 0.25));
        chain.append(transition, (i % 100 == 0).then_some(&key));
    }
    std::fs::write(&out, json::pretty(&chain.to_document(Some(&key))))?;
    eprintln!("wrote {count} entries to {out}");
    Ok(())
}
