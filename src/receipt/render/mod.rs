//! Renderers of a [`Receipt`](super::Receipt): each reads the one model.

pub mod html;
pub mod svg;
pub mod text;

/// The one-line verdict every renderer shows: `verified 5/5`, `broken at
/// entry 3`, or how many checks failed on an intact chain.
pub fn verdict(receipt: &super::Receipt) -> (bool, String) {
    if !receipt.chain_intact {
        let at = receipt.checks.first().and_then(|c| c.detail.clone()).unwrap_or_else(|| "broken".into());
        return (false, at);
    }
    let failed = receipt.checks.iter().filter(|c| !c.passed).count();
    match failed {
        0 => (true, format!("verified {}", receipt.verified())),
        1 => (false, "1 check failed".into()),
        n => (false, format!("{n} checks failed")),
    }
}

/// Escapes text for HTML and SVG (element content and quoted attributes).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(super::escape(r#"<a href="x">&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    }
}
