//! `pruv ledger`: the original SDK's payment example, exit codes, approvals,
//! CSV import, concurrent writers, and exported ledgers verified with no store.

mod common;
use common::Sandbox;

fn seed_example(sandbox: &Sandbox) {
    sandbox.run(&["ledger", "new", "shop"], 0);
    sandbox.run(&["ledger", "deposit", "shop", "merchant", "10000.00", "--source", "bank", "--reference", "seed"], 0);
    sandbox.run(&["ledger", "transfer", "shop", "merchant", "alice", "189.00", "--reference", "INV-1"], 0);
    sandbox.run(&["ledger", "transfer", "shop", "merchant", "bob", "64.50", "--reference", "INV-2"], 0);
}

#[test]
fn the_seed_example_balances_and_its_totals_are_exact() {
    let sandbox = Sandbox::with_store();
    seed_example(&sandbox);
    let report: serde_json::Value =
        serde_json::from_str(&sandbox.run(&["--format", "json", "ledger", "verify", "shop"], 0)).unwrap();
    assert_eq!(report["valid"], true);
    assert_eq!(report["verified"], 4);
    assert_eq!(report["balances"]["merchant"]["USD"], "9746.50");
    assert_eq!(report["balances"]["alice"]["USD"], "189.00");
    assert_eq!(report["balances"]["bob"]["USD"], "64.50");
    assert_eq!(report["volume"]["USD"], "253.50");
    assert_eq!(report["totals"]["USD"], "10000.00");
    let text = sandbox.run(&["ledger", "verify", "shop"], 0);
    assert!(text.contains("3 payments, verified 4/4, all valid"), "{text}");
    assert!(text.contains("total volume: 253.50 USD"), "{text}");

    // 0.1 + 0.2 is 0.3, not 0.30000000000000004.
    sandbox.run(&["ledger", "deposit", "shop", "carol", "0.1"], 0);
    sandbox.run(&["ledger", "deposit", "shop", "carol", "0.2"], 0);
    let balances = sandbox.run(&["--format", "json", "ledger", "balances", "shop"], 0);
    let balances: serde_json::Value = serde_json::from_str(&balances).unwrap();
    assert_eq!(balances["balances"]["carol"]["USD"], "0.30");
    let earlier = sandbox.run(&["--format", "json", "ledger", "balances", "shop", "--at", "2"], 0);
    let earlier: serde_json::Value = serde_json::from_str(&earlier).unwrap();
    assert_eq!(earlier["balances"]["merchant"]["USD"], "9811.00");
    assert!(earlier["balances"].get("bob").is_none());
}

#[test]
fn refusals_have_their_exit_codes_and_record_nothing() {
    let sandbox = Sandbox::with_store();
    seed_example(&sandbox);
    let overdraft = sandbox.run_err(&["ledger", "transfer", "shop", "alice", "bob", "500"], 3);
    assert!(overdraft.contains("alice holds 189.00 USD, less than 500.00"), "{overdraft}");
    for (args, needle) in [
        (vec!["ledger", "deposit", "shop", "x", "1.001"], "more digits after the point than USD allows (2)"),
        (vec!["ledger", "deposit", "shop", "x", "-5"], "not a decimal number"),
        (vec!["ledger", "deposit", "shop", "x", "1e3"], "not a decimal number"),
        (vec!["ledger", "deposit", "shop", "x", "5", "--currency", "EUR"], "holds USD, not EUR"),
        (vec!["ledger", "deposit", "nowhere", "x", "5"], "no ledger named \"nowhere\""),
        (vec!["ledger", "transfer", "shop", "bob", "bob", "1"], "to itself"),
        (vec!["ledger", "new", "gold", "--currency", "XAU"], "no minor unit"),
    ] {
        let error = sandbox.run_err(&args, 6);
        assert!(error.contains(needle), "{args:?}: {error}");
        assert_eq!(error.lines().count(), 1, "one line: {error}");
    }
    let history = sandbox.run(&["--format", "json", "ledger", "history", "shop"], 0);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&history).unwrap().as_array().unwrap().len(), 3);

    // A clearing account declared to overdraw may.
    sandbox.run(&["ledger", "new", "clearing", "--allow-overdraft", "bank"], 0);
    sandbox.run(&["ledger", "transfer", "clearing", "bank", "alice", "25"], 0);
    let report = sandbox.run(&["--format", "json", "ledger", "verify", "clearing"], 0);
    assert!(report.contains("\"-25.00\""), "{report}");
}

#[test]
fn several_currencies_are_each_conserved_and_need_naming() {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["ledger", "new", "fx", "--currency", "USD", "--currency", "JPY"], 0);
    let error = sandbox.run_err(&["ledger", "deposit", "fx", "a", "5"], 6);
    assert!(error.contains("say which with --currency"), "{error}");
    sandbox.run(&["ledger", "deposit", "fx", "a", "1500", "--currency", "jpy"], 0);
    sandbox.run(&["ledger", "deposit", "fx", "a", "15.25", "--currency", "USD"], 0);
    sandbox.run_err(&["ledger", "transfer", "fx", "a", "b", "1.5", "--currency", "JPY"], 6);
    sandbox.run(&["ledger", "transfer", "fx", "a", "b", "500", "--currency", "JPY"], 0);
    let report: serde_json::Value =
        serde_json::from_str(&sandbox.run(&["--format", "json", "ledger", "verify", "fx"], 0)).unwrap();
    assert_eq!(report["totals"]["JPY"], "1500");
    assert_eq!(report["totals"]["USD"], "15.25");
    assert_eq!(report["balances"]["b"]["JPY"], "500");
}

#[test]
fn high_value_transfers_wait_for_a_quorum_of_pinned_approvers() {
    let sandbox = Sandbox::with_store();
    for signer in ["cfo", "ceo", "eve"] {
        sandbox.run(&["key", "generate", "--name", signer, "--signer-id", signer], 0);
    }
    sandbox.write(
        "pruv.toml",
        "[ledger]\napproval-threshold = { USD = \"1000.00\" }\napprovals-required = 2\napprovers = { cfo = \"cfo.pub\", ceo = \"ceo.pub\" }\n",
    );
    sandbox.run(&["ledger", "new", "corp"], 0);
    sandbox.run(&["ledger", "deposit", "corp", "ops", "50000"], 0);
    // At the threshold: no approval needed.
    sandbox.run(&["ledger", "transfer", "corp", "ops", "vendor", "1000.00"], 0);
    let pending = sandbox.run(&["ledger", "transfer", "corp", "ops", "vendor", "5000", "--sign", "cfo.key"], 4);
    assert!(pending.contains("waits for approval (1 of 2)"), "{pending}");
    let report: serde_json::Value =
        serde_json::from_str(&sandbox.run(&["--format", "json", "ledger", "verify", "corp"], 0)).unwrap();
    assert_eq!(report["balances"]["vendor"]["USD"], "1000.00", "a pending transfer moves nothing");
    assert_eq!(report["pending"], serde_json::json!([3]));

    let stranger = sandbox.run_err(&["ledger", "sign", "corp", "3", "--key", "eve.key"], 3);
    assert!(stranger.contains("not one of ledger corp's approvers"), "{stranger}");
    let twice = sandbox.run_err(&["ledger", "sign", "corp", "3", "--key", "cfo.key"], 3);
    assert!(twice.contains("already approved"), "{twice}");
    sandbox.run(&["ledger", "sign", "corp", "3", "--key", "ceo.key"], 0);
    sandbox.run_err(&["ledger", "sign", "corp", "3", "--key", "ceo.key"], 6);
    let report: serde_json::Value =
        serde_json::from_str(&sandbox.run(&["--format", "json", "ledger", "verify", "corp"], 0)).unwrap();
    assert_eq!(report["balances"]["vendor"]["USD"], "6000.00");
    assert_eq!(report["pending"], serde_json::json!([]));

    // Both approvals at once count at once.
    sandbox.run(&["ledger", "transfer", "corp", "ops", "vendor", "2000", "--sign", "cfo.key", "--sign", "ceo.key"], 0);

    // The rules are the chain's: an export verifies with no store and no pruv.toml.
    sandbox.run(&["chain", "export", "ledger/corp", "-o", "corp.json"], 0);
    std::fs::remove_file(sandbox.path().join("pruv.toml")).unwrap();
    std::fs::remove_dir_all(sandbox.path().join(".pruv")).unwrap();
    let verdict = sandbox.run(&["verify", "corp.json"], 0);
    assert!(verdict.contains("ledger corp verifies"), "{verdict}");
}

#[test]
fn an_import_is_all_or_nothing_and_names_the_first_bad_row() {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["ledger", "new", "books"], 0);
    sandbox.write(
        "bad.csv",
        "date,from,to,amount,currency,reference\n2026-01-02,,merchant,100.00,USD,seed\n2026-01-03,merchant,alice,12.345,USD,r2\n",
    );
    let error = sandbox.run_err(&["ledger", "import", "books", "bad.csv"], 6);
    assert!(error.contains("bad.csv row 3: amount \"12.345\""), "{error}");
    sandbox.write(
        "overdraw.csv",
        "date,from,to,amount,currency,reference\n2026-01-02,,merchant,100.00,USD,seed\n2026-01-03,merchant,alice,150,USD,r2\n",
    );
    let error = sandbox.run_err(&["ledger", "import", "books", "overdraw.csv"], 3);
    assert!(error.contains("overdraw.csv row 3: merchant holds 100.00 USD"), "{error}");
    let history = sandbox.run(&["--format", "json", "ledger", "history", "books"], 0);
    assert_eq!(history.trim(), "[]", "nothing of a refused import is recorded");
    sandbox.write(
        "good.csv",
        "date,from,to,amount,currency,reference\n2026-01-02,,merchant,100.00,USD,seed\n2026-01-03,merchant,alice,40,USD,r2\n2026-01-04,alice,,15.5,USD,payout\n",
    );
    let out = sandbox.run(&["ledger", "import", "books", "good.csv"], 0);
    assert!(out.contains("imported 3 rows"), "{out}");
    let report: serde_json::Value =
        serde_json::from_str(&sandbox.run(&["--format", "json", "ledger", "verify", "books"], 0)).unwrap();
    assert_eq!(report["balances"]["alice"]["USD"], "24.50");
    assert_eq!(report["totals"]["USD"], "84.50");
}

#[test]
fn concurrent_writers_never_spend_one_balance_twice() {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["ledger", "new", "race"], 0);
    sandbox.run(&["ledger", "deposit", "race", "pool", "100"], 0);
    // 2 writers × 8 transfers of 10 from a pool of 100: exactly 10 can succeed.
    let codes: Vec<i32> = std::thread::scope(|scope| {
        let handles: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|to| {
                let sandbox = &sandbox;
                scope.spawn(move || {
                    (0..8)
                        .map(|_| {
                            let output = sandbox
                                .std_pruv()
                                .args(["ledger", "transfer", "race", "pool", to, "10"])
                                .output()
                                .unwrap();
                            output.status.code().unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(codes.iter().filter(|c| **c == 0).count(), 10, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 3).count(), 6, "{codes:?}");
    let report: serde_json::Value =
        serde_json::from_str(&sandbox.run(&["--format", "json", "ledger", "verify", "race"], 0)).unwrap();
    assert_eq!(report["balances"]["pool"]["USD"], "0.00");
    assert_eq!(report["entries"], 12);
}

#[test]
fn an_edited_export_is_caught_at_its_entry_and_account() {
    let sandbox = Sandbox::with_store();
    seed_example(&sandbox);
    sandbox.run(&["chain", "export", "ledger/shop", "-o", "shop.json"], 0);
    // Edited as text: re-serialising would re-render the timestamps the proofs cover.
    // The last "merchant": "9811.00" is entry 3's x_state, outside the xy/1 proof;
    // the ledger's own replay catches the edit.
    let text = sandbox.read("shop.json");
    let at = text.rfind("\"merchant\": \"9811.00\"").expect("entry 3's before-balance");
    let edited = format!("{}\"merchant\": \"9900.00\"{}", &text[..at], &text[at + "\"merchant\": \"9811.00\"".len()..]);
    sandbox.write("edited.json", &edited);
    let out = sandbox.run(&["--format", "json", "verify", "edited.json"], 2);
    let verdict: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(verdict["chain"]["intact"], true);
    assert_eq!(verdict["ledger"]["problem"]["entry"], 3);
    assert_eq!(verdict["ledger"]["problem"]["account"], "merchant");
}

#[test]
fn a_payment_receipt_re_verifies_offline_and_an_edit_fails_it() {
    let sandbox = Sandbox::with_store();
    seed_example(&sandbox);
    let text = sandbox.run(&["ledger", "receipt", "shop", "2"], 0);
    for needle in
        ["Sender     merchant", "Recipient  alice", "Amount     $189.00 USD", "Balanced   ✓ Conservation held"]
    {
        assert!(text.contains(needle), "{needle}\n{text}");
    }
    sandbox.run(&["--format", "json", "ledger", "receipt", "shop", "2", "-o", "receipt.json"], 0);
    sandbox.run(&["verify", "receipt.json"], 0);
    let mut receipt: serde_json::Value = serde_json::from_str(&sandbox.read("receipt.json")).unwrap();
    receipt["product_data"]["amount"] = "1890.00".into();
    sandbox.write("edited.json", &receipt.to_string());
    let out = sandbox.run(&["verify", "edited.json"], 2);
    assert!(out.contains("product_data.amount"), "{out}");
    for format in ["svg", "html"] {
        let page = sandbox.run(&["--format", format, "ledger", "receipt", "shop"], 0);
        assert!(page.contains("verified 4/4"), "{page}");
    }
    sandbox.run_err(&["--format", "svg", "ledger", "balances", "shop"], 6);
    sandbox.run_err(&["ledger", "receipt", "shop", "9"], 6);
}
