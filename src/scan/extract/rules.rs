//! Compiling a language's rule files into one query, once per process.

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
            _ => return None,
        })
    }
}

/// What a capture of the query means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureRole {
    Rule {
        id: &'static str,
        category: Category,
    },
    Name,
    /// An env var name spelled in lower case in code (pydantic fields).
    UpperName,
    Port,
    Url,
    Module,
    Ignored,
}

pub struct CompiledRules {
    pub language: Language,
    pub query: Query,
    /// Literals at least one of which a file must contain to be parsed.
    pub triggers: AhoCorasick,
    pub trigger_words: Vec<String>,
    /// Indexed by capture index.
    pub captures: Vec<CaptureRole>,
}

/// The framework a `<lang>.framework.<name>[-variant]` rule names.
pub fn framework_of(rule: &str) -> &str {
    let third = rule.split('.').nth(2).unwrap_or("");
    third.split('-').next().unwrap_or(third)
}

/// The language's rules, compiled on first use.
pub fn compiled(language: &'static ParsedLanguage) -> &'static CompiledRules {
    // One cell per language: a tree of Go files never compiles the Ruby rules.
    static CELLS: [OnceLock<CompiledRules>; PARSED.len()] = [const { OnceLock::new() }; PARSED.len()];
    let index = PARSED.iter().position(|l| std::ptr::eq(*l, language)).expect("language is in the table");
    // The rules ship inside the binary and a test compiles every one of them.
    CELLS[index].get_or_init(|| compile(language).unwrap_or_else(|e| panic!("{e}")))
}

/// Compiles one language's rules; errors name the rule file.
pub fn compile(language: &ParsedLanguage) -> Result<CompiledRules, String> {
    let grammar = (language.grammar)();
    let mut source = String::new();
    let mut trigger_words = Vec::new();
    for (file, text) in language.rules {
        let triggers: Vec<String> = text
            .lines()
            .filter_map(|line| line.trim().strip_prefix("; triggers:"))
            .flat_map(|words| words.split_whitespace().map(str::to_owned))
            .collect();
        if triggers.is_empty() {
            return Err(format!("grammars/{file}: no `; triggers:` line"));
        }
        trigger_words.extend(triggers);
        source.push_str(text);
        source.push('\n');
    }
    let query = Query::new(&grammar, &source).map_err(|combined| {
        // Name the file at fault: compile each alone.
        language
            .rules
            .iter()
            .find_map(|(file, text)| Query::new(&grammar, text).err().map(|e| format!("grammars/{file}: {e}")))
            .unwrap_or_else(|| format!("{} rules: {combined}", language.name))
    })?;
    let mut captures = Vec::new();
    for name in query.capture_names() {
        let role = match *name {
            "name" => CaptureRole::Name,
            "upper_name" => CaptureRole::UpperName,
            "port" => CaptureRole::Port,
            "url" => CaptureRole::Url,
            "module" => CaptureRole::Module,
            ignored if ignored.starts_with('_') => CaptureRole::Ignored,
            rule if rule.contains('.') => {
                let segment = rule.split('.').nth(1).unwrap_or("");
                let category =
                    Category::parse(segment).ok_or_else(|| format!("rule {rule}: unknown category {segment:?}"))?;
                // Leaked once per rule per process: rule ids live as long as the program.
                CaptureRole::Rule { id: Box::leak(rule.to_owned().into_boxed_str()), category }
            }
            other => return Err(format!("{} rules: capture @{other} is neither a rule id nor a value", language.name)),
        };
        captures.push(role);
    }
    trigger_words.sort();
    trigger_words.dedup();
    let triggers = AhoCorasick::new(&trigger_words).map_err(|e| e.to_string())?;
    Ok(CompiledRules { language: grammar, query, triggers, trigger_words, captures })
}
