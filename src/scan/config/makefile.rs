//! Makefiles: the Go programs the build runs from source (`go run ./cmd/gen`).
//!
//! A program the repository's own build runs with `go run` is a step of the
//! build (a generator, a doc writer), not a service, unless something
//! deploys it. Make's own language (variables, functions, includes) is not
//! evaluated: only the literal package path of a `go run` is read.

/// Build flags of `go run` that take a value as the next word.
const FLAGS_WITH_VALUES: &[&str] =
    &["C", "tags", "ldflags", "gcflags", "asmflags", "mod", "modfile", "exec", "p", "o", "overlay", "pgo", "toolexec"];

/// Each `go run ./path` of the text: the package directory, relative to the
/// Makefile's directory as written, and its line.
pub fn go_runs(text: &str) -> Vec<(String, u32)> {
    let mut runs = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or(line);
        let mut words = line.split_whitespace().peekable();
        while let Some(word) = words.next() {
            if word != "go" || words.peek() != Some(&"run") {
                continue;
            }
            words.next();
            // Flags come first (`go run -tags x ./cmd/gen`); the package is the
            // first word after them. A file list (`main.go`) or a module path is not read.
            let mut package = None;
            while let Some(word) = words.next() {
                if !word.starts_with('-') {
                    package = Some(word);
                    break;
                }
                if !word.contains('=') && FLAGS_WITH_VALUES.contains(&word.trim_start_matches('-')) {
                    words.next();
                }
            }
            if let Some(path) = package.filter(|p| p.starts_with("./") || p.starts_with("../")) {
                let path = path.trim_end_matches("/...").trim_end_matches("/.").trim_end_matches('/');
                if !path.contains(['$', '(', '*']) && !path.ends_with(".go") {
                    runs.push((path.to_owned(), index as u32 + 1));
                }
            }
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_runs_of_local_packages() {
        let text = ".bin/clidoc:\n\tgo build -o .bin/clidoc ./cmd/clidoc/.\n\ndocs/cli: .bin/clidoc\n\tgo run ./cmd/clidoc/. .\n\ngen:\n\tcd x && go run -tags tools ../hack/gen/...\n\tgo run main.go\n\tgo run github.com/x/y@v1\n\tgo run $(TOOL)\n# go run ./commented\n";
        assert_eq!(go_runs(text), [("./cmd/clidoc".to_owned(), 5), ("../hack/gen".to_owned(), 8)]);
    }
}
