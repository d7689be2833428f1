//! A single self-contained HTML page: no scripts, styles inline, the
//! receipt JSON embedded so the page itself can be re-verified.

use super::super::Receipt;
use super::{escape, verdict};
use crate::core::json;

pub fn page(receipt: &Receipt) -> String {
    let (passed, message) = verdict(receipt);
    let colour = if passed { "#2e7d32" } else { "#c62828" };
    let mut facts = String::new();
    for (label, value) in &receipt.facts {
        facts += &format!("<tr><th>{}</th><td>{}</td></tr>\n", escape(label), escape(value));
    }
    let mut checks = String::new();
    for check in &receipt.checks {
        let (mark, class) = if check.passed { ("✓", "pass") } else { ("✗", "fail") };
        let detail = check.detail.as_deref().map_or_else(String::new, |d| format!("<div>{}</div>", escape(d)));
        checks += &format!("<li class=\"{class}\">{mark} {}{detail}</li>\n", escape(&check.label));
    }
    let signature = receipt.signature.as_ref().map_or_else(
        || "Unsigned.".to_owned(),
        |s| {
            format!(
                "Signed by {} (Ed25519 key <code>{}</code>).",
                escape(s.signer_id.as_deref().unwrap_or("(unnamed)")),
                escape(&s.public_key)
            )
        },
    );
    // The JSON is inert data; `<` is escaped so no text in it can close the element.
    let embedded = json::pretty(&receipt.to_value()).replace('<', "\\u003c");
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>pruv receipt: {title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
.verdict {{ background: {colour}; color: #fff; padding: .6rem 1rem; border-radius: .3rem; font-size: 1.3rem; }}
th {{ text-align: left; padding-right: 1rem; vertical-align: top; }}
td, code {{ font-family: ui-monospace, monospace; word-break: break-all; }}
ul {{ list-style: none; padding: 0; }}
li.pass {{ color: #2e7d32; }} li.fail {{ color: #c62828; }}
li div {{ color: #555; margin-left: 1.4rem; }}
</style>
</head>
<body>
<h1>pruv receipt · {kind}</h1>
<p class="verdict">{message}</p>
<table>
<tr><th>Chain</th><td>{title}</td></tr>
{facts}</table>
<h2>Checks</h2>
<ul>
{checks}</ul>
<h2>Hashes</h2>
<table>
<tr><th>X</th><td>{x}</td></tr>
<tr><th>Y</th><td>{y}</td></tr>
<tr><th>XY</th><td>{xy}</td></tr>
</table>
<p>Issued {timestamp} by pruv {version}. {signature}</p>
<p>Re-check offline: save the JSON below as <code>receipt.json</code> and run <code>pruv verify receipt.json</code>.</p>
<script type="application/json" id="pruv-receipt">
{embedded}</script>
</body>
</html>
"#,
        title = escape(&format!("{} ({})", receipt.chain_name, receipt.chain_id)),
        kind = escape(receipt.kind.as_str()),
        message = escape(&message),
        x = escape(&receipt.x),
        y = escape(&receipt.y),
        xy = escape(receipt.xy.as_deref().unwrap_or("-")),
        timestamp = escape(&receipt.timestamp),
        version = escape(&receipt.pruv_version),
    )
}
