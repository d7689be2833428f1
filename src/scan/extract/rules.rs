//! A language's rules: each rule file compiles into its own query, lazily,
//! the first time a file holds one of its trigger literals. tree-sitter
//! query compilation costs tens to hundreds of milliseconds per file
//! (Ruby's and TypeScript's grammars most), so a tree that never mentions
//! Sinatra never pays for the Sinatra rules.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use tree_sitter::{Language, Query};

use super::super::lang::{PARSED, ParsedLanguage};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Env,
    Framework,
    Listen,
    Import,
    Http,
    Grpc,
    Literal,
    /// A configuration key read through a configuration library.
    Config,
    /// A configuration library's env var prefix.
    EnvPrefix,
    /// A function definition and its first parameter (a wrapper candidate).
    Wrapper,
    /// An env read whose name is an identifier, not a literal.
    EnvArg,
    /// A call with an env-shaped literal as first argument.
    Call,
    /// A use of a Dapr building block (`<lang>.dapr.<block>`).
    Dapr,
    /// A name bound to the env record (`const env = process.env`).
    EnvRecord,
    /// A name bound by an import (`import env from "./environment"`).
    Binding,
    /// An env-shaped member read through a name (`env.DATABASE_URL`).
    Member,
    /// A generated gRPC client stub in use (`NewCartServiceClient(conn)`).
    GrpcClient,
    /// A generated gRPC service base implemented or registered (`RegisterCartServiceServer`).
    GrpcServer,
}

impl Category {
    fn parse(segment: &str) -> Option<Category> {
        Some(match segment {
            "env" => Category::Env,
            "framework" => Category::Framework,
            "listen" => Category::Listen,
            "import" => Category::Import,
            "http" => Category::Http,
            "grpc" => Category::Grpc,
            "literal" => Category::Literal,
            "config" => Category::Config,
            "envprefix" => Category::EnvPrefix,
            "wrapper" => Category::Wrapper,
            "envarg" => Category::EnvArg,
            "call" => Category::Call,
            "dapr" => Category::Dapr,
            "envrecord" => Category::EnvRecord,
            "binding" => Category::Binding,
            "member" => Category::Member,
            "grpcclient" => Category::GrpcClient,
            "grpcserver" => Category::GrpcServer,
            _ => return None,
        })
    }
}

/// What a capture of a query means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureRole {
    Rule {
        id: &'static str,
        category: Category,
    },
    Name,
    /// An env var name spelled in lower case in code (pydantic fields).
    UpperName,
    /// `${NAME}` or `${NAME:default}`: the env var NAME.
    Placeholder,
    /// A Go struct tag (`env:"PORT" envDefault:"8080"`): the `env`/`envconfig` name.
    StructTag,
    Port,
    Url,
    Module,
    /// A configuration key (`a.b.c`, `${a.b:default}`, `Section:Key`) or an env prefix.
    Key,
    /// A member bound below the key (a field of a `@ConfigurationProperties`
    /// class): the key read is `key.member`.
    Member,
    /// The name of a function defined or called.
    Function,
    /// A generated gRPC name (`CartServiceStub`).
    Symbol,
    /// The fallback of an env read (`getenv("X", "d")`): marks the read as having a default.
    Default,
    /// A parameter, or an identifier passed where an env var name goes.
    Param,
    /// A region of test code: facts inside it are dropped.
    Exclude,
    Ignored,
}

/// One compiled rule file.
pub struct CompiledFile {
    pub query: Query,
    /// Indexed by capture index.
    pub captures: Vec<CaptureRole>,
}

pub struct RuleFile {
    pub name: &'static str,
    pub text: &'static str,
    compiled: OnceLock<CompiledFile>,
}

pub struct LanguageRules {
    pub language: Language,
    pub files: Vec<RuleFile>,
    /// Every trigger literal of every file.
    pub triggers: AhoCorasick,
    /// For each trigger, the rule file it belongs to.
    trigger_file: Vec<usize>,
    /// Rule files triggered by a quoted URL (`@quoted-url`; bit i = file i).
    url_files: u64,
    /// Rule files triggered by an env-shaped string as a call's first
    /// argument (`@env-shaped-call`: `getenv("PORT")`) or after a space
    /// (`@env-shaped-word`: Ruby's `fetch "PORT"`).
    env_call_files: u64,
    env_word_files: u64,
}

/// The framework a `<lang>.framework.<name>[-variant]` rule names.
pub fn framework_of(rule: &str) -> &str {
    let third = rule.split('.').nth(2).unwrap_or("");
    third.split('-').next().unwrap_or(third)
}

/// The language's rules (triggers ready, queries compiled on demand).
pub fn rules_of(language: &'static ParsedLanguage) -> &'static LanguageRules {
    static CELLS: [OnceLock<LanguageRules>; PARSED.len()] = [const { OnceLock::new() }; PARSED.len()];
    let index = PARSED.iter().position(|l| std::ptr::eq(*l, language)).expect("language is in the table");
    // The rules ship inside the binary, and a test compiles every one of them.
    CELLS[index].get_or_init(|| load(language).unwrap_or_else(|e| panic!("{e}")))
}

fn load(language: &ParsedLanguage) -> Result<LanguageRules, String> {
    let mut words = Vec::new();
    let mut trigger_file = Vec::new();
    let mut url_files = 0u64;
    let (mut env_call_files, mut env_word_files) = (0u64, 0u64);
    let mut files = Vec::new();
    for (index, (name, text)) in language.rules.iter().enumerate() {
        let triggers: Vec<&str> = text
            .lines()
            .filter_map(|line| line.trim().strip_prefix("; triggers:"))
            .flat_map(str::split_whitespace)
            .collect();
        if triggers.is_empty() {
            return Err(format!("grammars/{name}: no `; triggers:` line"));
        }
        for word in triggers {
            match word {
                "@quoted-url" => url_files |= 1 << index,
                "@env-shaped-call" => env_call_files |= 1 << index,
                "@env-shaped-word" => env_word_files |= 1 << index,
                _ => {}
            }
            if matches!(word, "@quoted-url" | "@env-shaped-call" | "@env-shaped-word") {
                continue;
            }
            // `@packages`: the import names of the external systems of the
            // language's ecosystem. An import that names none of them cannot
            // reveal one, so it is not worth a parse.
            let expanded = match word {
                "@packages" => crate::scan::externals::import_literals(language.ecosystem),
                word => vec![word.to_owned()],
            };
            for word in expanded {
                words.push(word);
                trigger_file.push(index);
            }
        }
        files.push(RuleFile { name, text, compiled: OnceLock::new() });
    }
    let triggers = AhoCorasick::new(&words).map_err(|e| e.to_string())?;
    Ok(LanguageRules {
        language: (language.grammar)(),
        files,
        triggers,
        trigger_file,
        url_files,
        env_call_files,
        env_word_files,
    })
}

impl LanguageRules {
    /// Whether `source` holds any trigger at all.
    pub fn any_match(&self, source: &str) -> bool {
        self.triggers.is_match(source)
            || (self.url_files != 0 && has_quoted_url(source))
            || (self.env_call_files != 0 && has_env_shaped_string(source, b"("))
            || (self.env_word_files != 0 && has_env_shaped_string(source, b" \t"))
    }

    /// Which rule files `source` holds a trigger of (bit i = file i).
    pub fn matching_files(&self, source: &str) -> u64 {
        let all = (1u64 << self.files.len()) - 1;
        let mut mask = 0u64;
        for found in self.triggers.find_overlapping_iter(source) {
            mask |= 1 << self.trigger_file[found.pattern().as_usize()];
            if mask == all {
                break;
            }
        }
        if self.url_files & !mask != 0 && has_quoted_url(source) {
            mask |= self.url_files;
        }
        if self.env_call_files & !mask != 0 && has_env_shaped_string(source, b"(") {
            mask |= self.env_call_files;
        }
        if self.env_word_files & !mask != 0 && has_env_shaped_string(source, b" \t") {
            mask |= self.env_word_files;
        }
        mask
    }

    pub fn compiled(&self, file: usize) -> &CompiledFile {
        let rule_file = &self.files[file];
        rule_file.compiled.get_or_init(|| compile_file(&self.language, rule_file).unwrap_or_else(|e| panic!("{e}")))
    }
}

fn compile_file(language: &Language, file: &RuleFile) -> Result<CompiledFile, String> {
    let query = Query::new(language, file.text).map_err(|e| format!("grammars/{}: {e}", file.name))?;
    let mut captures = Vec::new();
    for name in query.capture_names() {
        let role = match *name {
            "name" => CaptureRole::Name,
            "upper_name" => CaptureRole::UpperName,
            "placeholder" => CaptureRole::Placeholder,
            "struct_tag" => CaptureRole::StructTag,
            "port" => CaptureRole::Port,
            "url" => CaptureRole::Url,
            "module" => CaptureRole::Module,
            "key" => CaptureRole::Key,
            "member" => CaptureRole::Member,
            "function" => CaptureRole::Function,
            "symbol" => CaptureRole::Symbol,
            "default" => CaptureRole::Default,
            "param" => CaptureRole::Param,
            "exclude" => CaptureRole::Exclude,
            ignored if ignored.starts_with('_') => CaptureRole::Ignored,
            rule if rule.contains('.') => {
                let segment = rule.split('.').nth(1).unwrap_or("");
                let category = Category::parse(segment)
                    .ok_or_else(|| format!("grammars/{}: rule {rule}: unknown category {segment:?}", file.name))?;
                // Leaked once per rule per process: rule ids live as long as the program.
                CaptureRole::Rule { id: Box::leak(rule.to_owned().into_boxed_str()), category }
            }
            other => return Err(format!("grammars/{}: capture @{other} is neither a rule id nor a value", file.name)),
        };
        captures.push(role);
    }
    Ok(CompiledFile { query, captures })
}

/// Compiles every rule file of `language` now (tests; errors name the file).
#[cfg(test)]
pub fn compile_all(language: &'static ParsedLanguage) -> Result<usize, String> {
    let rules = load(language)?;
    for file in &rules.files {
        compile_file(&rules.language, file)?;
    }
    Ok(rules.files.len())
}

/// Whether a string literal in `source` starts with a URL (`"postgres://`,
/// `'https://`, `` `http:// ``): what URL rules look for, where a bare
/// `://` is mostly a link in a comment.
pub fn has_quoted_url(source: &str) -> bool {
    let bytes = source.as_bytes();
    source.match_indices("://").any(|(at, _)| {
        let scheme_start = bytes[..at]
            .iter()
            .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-' | b':')))
            .map_or(0, |i| i + 1);
        scheme_start < at && scheme_start > 0 && matches!(bytes[scheme_start - 1], b'"' | b'\'' | b'`')
    })
}

/// Whether `source` has a string literal whose whole text is env-shaped
/// (`"PORT"`, `'DATABASE_URL'`: an upper-case letter, then upper-case
/// letters, digits and `_`) right after one of the bytes `after`. A literal
/// trigger for each first letter (`("A` … `("Z`) fired on most files:
/// every call whose message starts with a capital.
pub fn has_env_shaped_string(source: &str, after: &[u8]) -> bool {
    let bytes = source.as_bytes();
    let mut at = 1;
    while at < bytes.len() {
        let quote = bytes[at];
        if matches!(quote, b'"' | b'\'' | b'`') && after.contains(&bytes[at - 1]) {
            let rest = &bytes[at + 1..];
            let length =
                rest.iter().take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || **b == b'_').count();
            if length > 0 && rest[0].is_ascii_uppercase() && rest.get(length) == Some(&quote) {
                return true;
            }
            at += length + 1;
        } else {
            at += 1;
        }
    }
    false
}

#[cfg(test)]
mod env_shaped_tests {
    #[test]
    fn only_whole_env_shaped_literals_count() {
        assert!(super::has_env_shaped_string(r#"port := env("PORT")"#, b"("));
        assert!(super::has_env_shaped_string("x = get_setting('DB_URL_2', 5)", b"("));
        assert!(super::has_env_shaped_string("ENV.fetch \"REDIS_URL\"", b" "));
        assert!(!super::has_env_shaped_string(r#"errors.New("Failed to start")"#, b"("));
        assert!(!super::has_env_shaped_string(r#"log("OK: done")"#, b"("));
        assert!(!super::has_env_shaped_string(r#"f("_X")"#, b"("));
        assert!(!super::has_env_shaped_string(r#"x = "PORT""#, b"("));
        assert!(!super::has_env_shaped_string("(\"", b"("));
    }
}

#[cfg(test)]
mod quoted_url_tests {
    #[test]
    fn only_urls_that_open_a_string_count() {
        assert!(super::has_quoted_url(r#"db := "postgres://u@h/db""#));
        assert!(super::has_quoted_url("url = f'https://x' if a else 'redis://r'"));
        assert!(super::has_quoted_url("fetch(`http://${host}/api`)"));
        assert!(super::has_quoted_url(r#"url = "jdbc:postgresql://db/app";"#));
        assert!(!super::has_quoted_url("// see https://example.com for details"));
        assert!(!super::has_quoted_url(r#"x := "see: https://example.com""#));
        assert!(!super::has_quoted_url(r#""://" + host"#));
        assert!(!super::has_quoted_url("://"));
    }
}
