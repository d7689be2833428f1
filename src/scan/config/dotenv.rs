//! `.env` files: `NAME=value`, `export NAME=value`, comments, quotes.

use super::EnvEntry;

pub fn parse(text: &str) -> Vec<EnvEntry> {
    let mut entries = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else { continue };
        let name = name.trim();
        if !crate::scan::extract::is_env_name(name) {
            continue;
        }
        let value = value.trim();
        // A quoted value may span lines (a PEM key, a JSON blob): read it
        // whole, or its later lines are taken for definitions of their own.
        let mut whole = value.to_owned();
        if let Some(quote) = ['"', '\''].into_iter().find(|q| value.starts_with(*q))
            && !value[1..].contains(quote)
        {
            for (_, next) in lines.by_ref() {
                whole.push('\n');
                whole.push_str(next);
                if next.contains(quote) {
                    break;
                }
            }
        }
        let value = whole.as_str();
        let value = strip_quotes(value).unwrap_or_else(|| value.split(" #").next().unwrap_or(value).trim());
        entries.push(EnvEntry {
            name: name.to_owned(),
            line: i as u32 + 1,
            value: (!value.is_empty()).then(|| value.to_owned()),
            default: false,
        });
    }
    entries
}

fn strip_quotes(value: &str) -> Option<&str> {
    ['"', '\''].into_iter().find_map(|q| value.strip_prefix(q).and_then(|v| v.split(q).next()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_definitions() {
        let entries = super::parse("# c\nA=1\nexport B=\"two words\"\nC=\n  D = x # note\nnot a line\n1X=2\n");
        let got: Vec<_> = entries.iter().map(|e| (e.name.as_str(), e.line, e.value.as_deref())).collect();
        assert_eq!(got, [("A", 2, Some("1")), ("B", 3, Some("two words")), ("C", 4, None), ("D", 5, Some("x"))]);
    }

    #[test]
    fn a_multi_line_quoted_value_is_read_whole() {
        let entries = super::parse("KEY=\"-----BEGIN KEY-----\nFAKE=notavar\n-----END KEY-----\"\nAFTER=1\n");
        let got: Vec<_> = entries.iter().map(|e| (e.name.as_str(), e.line, e.value.as_deref())).collect();
        assert_eq!(
            got,
            [("KEY", 1, Some("-----BEGIN KEY-----\nFAKE=notavar\n-----END KEY-----")), ("AFTER", 4, Some("1"))]
        );
    }
}
