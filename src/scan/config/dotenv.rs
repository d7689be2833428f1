//! `.env` files: `NAME=value`, `export NAME=value`, comments, quotes.

use super::EnvEntry;

pub fn parse(text: &str) -> Vec<EnvEntry> {
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
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
        let value = strip_quotes(value).unwrap_or_else(|| value.split(" #").next().unwrap_or(value).trim());
        entries.push(EnvEntry {
            name: name.to_owned(),
            line: i as u32 + 1,
            value: (!value.is_empty()).then(|| value.to_owned()),
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
}
