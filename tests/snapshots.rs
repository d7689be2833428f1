//! Rendered output, pinned with insta. Inputs are fixed (the xycore
//! vectors imported into a fresh store), so the output is too.

mod common;
use common::{Sandbox, vectors_chain};

fn sandbox_with_vectors() -> Sandbox {
    let sandbox = Sandbox::with_store();
    sandbox.run(&["chain", "import", vectors_chain().to_str().unwrap()], 0);
    sandbox
}

#[test]
fn verify_text_intact() {
    let sandbox = Sandbox::new();
    insta::assert_snapshot!(sandbox.run(&["verify", vectors_chain().to_str().unwrap()], 0));
}

#[test]
fn verify_json_intact() {
    let sandbox = Sandbox::new();
    insta::assert_snapshot!(sandbox.run(&["verify", vectors_chain().to_str().unwrap(), "--format", "json"], 0));
}

#[test]
fn verify_text_broken() {
    let sandbox = Sandbox::new();
    let text = std::fs::read_to_string(vectors_chain()).unwrap().replacen("\"count\": 2", "\"count\": 3", 1).replacen(
        "\"index\": 4",
        "\"index\": 9",
        1,
    );
    sandbox.write("broken.json", &text);
    insta::assert_snapshot!(sandbox.run(&["verify", "broken.json", "--require-signatures"], 2));
}

#[test]
fn chain_show_text() {
    insta::assert_snapshot!(sandbox_with_vectors().run(&["chain", "show", "vectors"], 0));
}

#[test]
fn chain_list_json() {
    insta::assert_snapshot!(sandbox_with_vectors().run(&["chain", "list", "--format", "json"], 0));
}
