//! Every package a Go file imports, read from its import declarations.
//!
//! The tree-sitter rules look only at imports that name a known system;
//! attributing shared packages to the programs that use them needs all of
//! them. Go's import declarations come before any other declaration and
//! have one fixed shape, so a line reader is exact here and costs nothing.

pub fn go_imports(text: &str) -> Vec<String> {
    let mut imports = Vec::new();
    let mut in_block = false;
    let mut in_comment = false;
    for line in text.lines() {
        let mut line = line.trim();
        if in_comment {
            match line.find("*/") {
                Some(end) => {
                    in_comment = false;
                    line = line[end + 2..].trim();
                }
                None => continue,
            }
        }
        if line.starts_with("/*") && !line.contains("*/") {
            in_comment = true;
            continue;
        }
        let line = line.split("//").next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if in_block {
            if line.starts_with(')') {
                in_block = false;
            } else {
                imports.extend(quoted(line));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("import") {
            let rest = rest.trim();
            if let Some(inner) = rest.strip_prefix('(') {
                let inner = inner.trim();
                match inner.find(')') {
                    Some(end) => imports.extend(inner[..end].split(';').filter_map(quoted)),
                    None => {
                        in_block = true;
                        imports.extend(quoted(inner));
                    }
                }
            } else {
                imports.extend(quoted(rest));
            }
            continue;
        }
        // Declarations end the imports.
        if ["func ", "type ", "var ", "const "].iter().any(|d| line.starts_with(d)) {
            break;
        }
    }
    imports
}

/// The import path in `alias "path"` or `"path"`.
fn quoted(spec: &str) -> Option<String> {
    let start = spec.find('"')?;
    let end = spec[start + 1..].find('"')?;
    Some(spec[start + 1..start + 1 + end].to_owned()).filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::go_imports;

    #[test]
    fn reads_every_form_of_import() {
        let text = "// Package x.\npackage main\n\nimport \"fmt\"\nimport db \"example.com/m/internal/db\"\n\nimport (\n\t\"context\"\n\t_ \"github.com/lib/pq\" // driver\n\t/* a comment */\n\tcfg \"example.com/m/internal/config\"\n)\n\nimport (\"os\"; \"strings\")\n\nfunc main() {\n\timport_ := \"not an import\"\n}\n";
        assert_eq!(
            go_imports(text),
            [
                "fmt",
                "example.com/m/internal/db",
                "context",
                "github.com/lib/pq",
                "example.com/m/internal/config",
                "os",
                "strings"
            ]
        );
    }
}
