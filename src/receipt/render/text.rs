//! The boxed text receipt: what was checked, ✓ or ✗, for a person.

use super::super::Receipt;
use super::verdict;

/// The box, without the signature (it is part of what is signed).
pub fn boxed(receipt: &Receipt) -> String {
    let (_, verdict) = verdict(receipt);
    let width = receipt.facts.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0).max("Chain".len());
    let mut lines = vec![
        format!("pruv receipt · {} · {}", receipt.kind.as_str(), verdict),
        String::new(),
        format!("{:<width$}  {} ({})", "Chain", receipt.chain_name, receipt.chain_id),
    ];
    for (label, value) in &receipt.facts {
        lines.push(format!("{label:<width$}  {value}"));
    }
    lines.push(String::new());
    for check in &receipt.checks {
        let mark = if check.passed { '✓' } else { '✗' };
        lines.push(format!("{mark} {}", check.label));
        if let Some(detail) = &check.detail {
            lines.push(format!("    {detail}"));
        }
    }
    lines.push(String::new());
    lines.push(format!("X   {}", receipt.x));
    lines.push(format!("Y   {}", receipt.y));
    lines.push(format!("XY  {}", receipt.xy.as_deref().unwrap_or("-")));
    lines.push(format!("Issued {} by pruv {}", receipt.timestamp, receipt.pruv_version));
    frame(&lines)
}

/// The receipt as printed: the box, then who signed it.
pub fn render(receipt: &Receipt) -> String {
    let mut out = boxed(receipt);
    match &receipt.signature {
        Some(signature) => {
            let signer = signature.signer_id.as_deref().unwrap_or("(unnamed)");
            out += &format!("Signed by {signer} (Ed25519 key {})\n", signature.public_key);
        }
        None => out += "Unsigned: `pruv receipt --sign KEYFILE` signs it\n",
    }
    out += "Re-check it anywhere: save it with --format json and run `pruv verify RECEIPT.json`\n";
    out
}

fn frame(lines: &[String]) -> String {
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let rule = "─".repeat(width + 2);
    let mut out = format!("┌{rule}┐\n");
    for line in lines {
        let pad = width - line.chars().count();
        out += &format!("│ {line}{} │\n", " ".repeat(pad));
    }
    out += &format!("└{rule}┘\n");
    out
}
