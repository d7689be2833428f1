//! What a build command compiles: the package directories and package
//! names its arguments give (`go build -o /app ./cmd/api`, `cargo build
//! --bin api`, `mvn -pl services/api package`), by the table of build
//! commands in `grammars/builds.toml`.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const TABLE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars/builds.toml"));

/// A program a build command compiles.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BuildTarget {
    /// A package directory or project file, relative to where the command runs.
    Path(String),
    /// A package by its manifest's name.
    Package(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    command: Vec<Command>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Command {
    programs: Vec<String>,
    subcommands: Vec<String>,
    positional: Positional,
    value_flags: Vec<String>,
    path_flags: Vec<String>,
    package_flags: Vec<String>,
    /// What it builds when no positional argument names anything: the working directory.
    #[serde(default)]
    default_path: Option<String>,
}

#[derive(Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Positional {
    Path,
    Package,
    GradleTask,
    None,
}

fn table() -> &'static Table {
    static CELL: OnceLock<Table> = OnceLock::new();
    // The table ships inside the binary and a test parses it.
    CELL.get_or_init(|| toml::from_str(TABLE).unwrap_or_else(|e| panic!("grammars/builds.toml: {e}")))
}

/// What the commands of a shell command line (a Dockerfile `RUN`) compile.
pub fn targets(line: &str) -> Vec<BuildTarget> {
    let mut out = Vec::new();
    for simple in split_commands(line) {
        let words = shell_words(&simple);
        // `CGO_ENABLED=0 GOOS=linux go build …`: assignments come first.
        let start = words.iter().position(|w| !is_assignment(w)).unwrap_or(words.len());
        let words = &words[start..];
        let Some(first) = words.first() else { continue };
        let Some(command) = table().command.iter().find(|c| {
            c.programs.iter().any(|p| p == first)
                && (c.subcommands.is_empty() || words.get(1).is_some_and(|w| c.subcommands.contains(w)))
        }) else {
            continue;
        };
        let skip = if command.subcommands.is_empty() { 1 } else { 2 };
        read_arguments(command, &words[skip..], &mut out);
    }
    out.sort();
    out.dedup();
    out
}

fn read_arguments(command: &Command, words: &[String], out: &mut Vec<BuildTarget>) {
    let mut positional = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        i += 1;
        if !word.starts_with('-') || word == "-" {
            positional.push(word.as_str());
            continue;
        }
        let (flag, attached) = match word.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (word.as_str(), None),
        };
        let is = |list: &[String]| list.iter().any(|f| f == flag);
        if !(is(&command.value_flags) || is(&command.path_flags) || is(&command.package_flags)) {
            continue;
        }
        let value = match attached {
            Some(value) => value,
            None => {
                i += 1;
                match words.get(i - 1) {
                    Some(value) => value.clone(),
                    None => break,
                }
            }
        };
        if is(&command.path_flags) {
            out.extend(value.split(',').filter(|v| !v.is_empty()).map(|v| BuildTarget::Path(v.to_owned())));
        } else if is(&command.package_flags) {
            out.extend(package_filter(&value));
        }
    }
    match command.positional {
        Positional::Path if positional.is_empty() => out.extend(command.default_path.clone().map(BuildTarget::Path)),
        Positional::Path => out.extend(positional.into_iter().filter_map(package_path).map(BuildTarget::Path)),
        Positional::Package => out.extend(positional.first().map(|p| BuildTarget::Package((*p).to_owned()))),
        Positional::GradleTask => out.extend(positional.into_iter().filter_map(|task| {
            // `:services:api:bootJar` → services/api; a bare task is the root project's.
            let segments: Vec<&str> = task.strip_prefix(':')?.split(':').collect();
            let (_, module) = segments.split_last()?;
            (!module.is_empty()).then(|| BuildTarget::Path(module.join("/")))
        })),
        Positional::None => {}
    }
}

/// A package directory from a positional argument: `./cmd/api`,
/// `./cmd/api/...`, `main.go`'s directory, `src/Api/Api.csproj`. An import
/// path of another module (`github.com/x/y`) and `./...` (everything) are not one.
fn package_path(word: &str) -> Option<String> {
    let word = word.trim_end_matches('/');
    if word == "./..." || word.contains(['$', '*']) {
        return None;
    }
    let word = word.strip_suffix("/...").unwrap_or(word);
    let first = word.split('/').next().unwrap_or(word);
    if first.contains('.') && first != "." && first != ".." && !word.contains('/') {
        // A file: a project file or a source file names its directory.
        return Some(match word.rsplit_once('/') {
            Some((dir, _)) => dir.to_owned(),
            None => ".".to_owned(),
        });
    }
    if first.contains('.') && first != "." && first != ".." {
        // `github.com/acme/app/cmd/api`: a module path, not a directory.
        return None;
    }
    let is_file = [".go", ".csproj", ".fsproj", ".vbproj"].iter().any(|ext| word.ends_with(ext));
    Some(if is_file { word.rsplit_once('/').map_or(".", |(dir, _)| dir).to_owned() } else { word.to_owned() })
}

/// A workspace filter: a package name (`web`, `@acme/web`, `web...`) or a
/// directory (`./apps/web`, `{apps/web}`).
fn package_filter(value: &str) -> Option<BuildTarget> {
    let value = value.trim_start_matches('!').trim_start_matches("...").trim_end_matches("...").trim_start_matches('^');
    if value.is_empty() || value.contains('*') {
        return None;
    }
    if let Some(dir) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
        return Some(BuildTarget::Path(dir.to_owned()));
    }
    Some(if value.starts_with('.') {
        BuildTarget::Path(value.to_owned())
    } else {
        BuildTarget::Package(value.to_owned())
    })
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| crate::scan::extract::is_env_name(name) && !name.is_empty())
}

/// The simple commands of a command line: split at `&&`, `||`, `;`, `|`
/// and line breaks outside quotes.
fn split_commands(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => {
                quote = None;
                current.push(c);
            }
            (Some(_), _) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (None, '&' | '|' | ';' | '\n' | '(' | ')') => {
                if !current.trim().is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                current.clear();
            }
            _ => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

/// Words of a simple command, quotes removed (no expansion).
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            _ => word.push(c),
        }
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use BuildTarget::{Package, Path};

    #[test]
    fn the_table_parses() {
        assert!(!table().command.is_empty());
    }

    #[test]
    fn build_commands_name_what_they_compile() {
        let cases: &[(&str, &[BuildTarget])] = &[
            ("CGO_ENABLED=0 GOOS=linux go build -tags migrate -o /bin/app ./cmd/proxy", &[Path("./cmd/proxy".into())]),
            ("go mod download && go build -o ./bin/api ./cmd/api/...", &[Path("./cmd/api".into())]),
            ("go build -ldflags \"-s -w\" -o app main.go", &[Path(".".into())]),
            ("go build ./... && go test ./...", &[]),
            ("go install github.com/go-delve/delve/cmd/dlv@latest", &[]),
            (
                "dotnet publish \"src/Ordering.API/Ordering.API.csproj\" -c Release -o /app/publish",
                &[Path("src/Ordering.API".into())],
            ),
            ("cargo build --release --bin api-server", &[Package("api-server".into())]),
            ("cargo install --path crates/cli --locked", &[Path("crates/cli".into())]),
            (
                "./mvnw -B -pl services/orders,services/common -am package -DskipTests",
                &[Path("services/common".into()), Path("services/orders".into())],
            ),
            ("./gradlew :services:api:bootJar --no-daemon", &[Path("services/api".into())]),
            ("pnpm --filter @acme/web... build", &[Package("@acme/web".into())]),
            ("npx turbo run build --filter=./apps/docs", &[Path("./apps/docs".into())]),
            ("npm run build --workspace=apps/web", &[Path("apps/web".into())]),
            ("yarn workspace storefront build", &[Package("storefront".into())]),
            ("apt-get update && apt-get install -y git", &[]),
            ("go build -o /out/app", &[Path(".".into())]),
            ("dotnet publish -c Release -o out", &[Path(".".into())]),
            ("echo 'go build ./cmd/x'", &[]),
        ];
        for (line, expected) in cases {
            assert_eq!(targets(line), *expected, "{line}");
        }
    }
}
