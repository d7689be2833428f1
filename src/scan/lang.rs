//! The language table: one row per language, naming its grammar, the file
//! names it claims, and the rule directories under `grammars/`. Files of
//! other kinds get a label for `files[].language` and are only hashed
//! (configuration files are read by `config`).

use tree_sitter::Language;

/// A language pruv parses with tree-sitter.
pub struct ParsedLanguage {
    /// The name in `files[].language` and the prefix of its rule ids' files.
    pub name: &'static str,
    pub grammar: fn() -> Language,
    /// Rule files, concatenated into one query per language.
    pub rules: &'static [(&'static str, &'static str)],
    /// Where its imports' package names are listed in `grammars/externals.toml`.
    pub ecosystem: &'static str,
}

macro_rules! rules {
    ($($dir:literal / $file:literal),* $(,)?) => {
        &[$((concat!($dir, "/", $file), include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars/", $dir, "/", $file)))),*]
    };
}

pub static PYTHON: ParsedLanguage = ParsedLanguage {
    name: "python",
    grammar: || tree_sitter_python::LANGUAGE.into(),
    rules: rules![
        "python" / "env.scm",
        "python" / "web.scm",
        "python" / "imports.scm",
        "python" / "clients.scm",
        "python" / "wrappers.scm",
        "python" / "calls.scm",
        "python" / "stubs.scm",
        "python" / "settings.scm"
    ],
    ecosystem: "pypi",
};

/// JavaScript, TypeScript and TSX share one set of rules (`js.*`).
const JS_RULES: &[(&str, &str)] = rules![
    "javascript" / "env.scm",
    "javascript" / "web.scm",
    "javascript" / "imports.scm",
    "javascript" / "clients.scm",
    "javascript" / "wrappers.scm",
    "javascript" / "calls.scm",
    "javascript" / "records.scm",
    "javascript" / "stubs.scm"
];

pub static JAVASCRIPT: ParsedLanguage = ParsedLanguage {
    name: "javascript",
    grammar: || tree_sitter_javascript::LANGUAGE.into(),
    rules: JS_RULES,
    ecosystem: "npm",
};

pub static TYPESCRIPT: ParsedLanguage = ParsedLanguage {
    name: "typescript",
    grammar: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
    rules: JS_RULES,
    ecosystem: "npm",
};

pub static TSX: ParsedLanguage = ParsedLanguage {
    name: "typescript",
    grammar: || tree_sitter_typescript::LANGUAGE_TSX.into(),
    rules: JS_RULES,
    ecosystem: "npm",
};

pub static GO: ParsedLanguage = ParsedLanguage {
    name: "go",
    grammar: || tree_sitter_go::LANGUAGE.into(),
    rules: rules![
        "go" / "env.scm",
        "go" / "web.scm",
        "go" / "imports.scm",
        "go" / "clients.scm",
        "go" / "wrappers.scm",
        "go" / "calls.scm",
        "go" / "stubs.scm"
    ],
    ecosystem: "go",
};

pub static JAVA: ParsedLanguage = ParsedLanguage {
    name: "java",
    grammar: || tree_sitter_java::LANGUAGE.into(),
    rules: rules![
        "java" / "env.scm",
        "java" / "spring.scm",
        "java" / "web.scm",
        "java" / "imports.scm",
        "java" / "clients.scm",
        "java" / "wrappers.scm",
        "java" / "calls.scm",
        "java" / "stubs.scm"
    ],
    ecosystem: "maven",
};

pub static CSHARP: ParsedLanguage = ParsedLanguage {
    name: "csharp",
    grammar: || tree_sitter_c_sharp::LANGUAGE.into(),
    rules: rules![
        "csharp" / "env.scm",
        "csharp" / "web.scm",
        "csharp" / "imports.scm",
        "csharp" / "clients.scm",
        "csharp" / "stubs.scm"
    ],
    ecosystem: "nuget",
};

pub static RUST: ParsedLanguage = ParsedLanguage {
    name: "rust",
    grammar: || tree_sitter_rust::LANGUAGE.into(),
    rules: rules![
        "rust" / "tests.scm",
        "rust" / "env.scm",
        "rust" / "web.scm",
        "rust" / "imports.scm",
        "rust" / "clients.scm",
        "rust" / "stubs.scm"
    ],
    ecosystem: "cargo",
};

pub static RUBY: ParsedLanguage = ParsedLanguage {
    name: "ruby",
    grammar: || tree_sitter_ruby::LANGUAGE.into(),
    rules: rules![
        "ruby" / "env.scm",
        "ruby" / "web.scm",
        "ruby" / "imports.scm",
        "ruby" / "clients.scm",
        "ruby" / "wrappers.scm",
        "ruby" / "calls.scm",
        "ruby" / "stubs.scm",
        "ruby" / "settings.scm"
    ],
    ecosystem: "gem",
};

pub static PHP: ParsedLanguage = ParsedLanguage {
    name: "php",
    grammar: || tree_sitter_php::LANGUAGE_PHP.into(),
    // Imports name namespaces, not Composer packages: composer.json names the systems.
    rules: rules![
        "php" / "env.scm",
        "php" / "web.scm",
        "php" / "clients.scm",
        "php" / "wrappers.scm",
        "php" / "calls.scm"
    ],
    ecosystem: "composer",
};

pub static ELIXIR: ParsedLanguage = ParsedLanguage {
    name: "elixir",
    grammar: || tree_sitter_elixir::LANGUAGE.into(),
    // Module names are not Hex package names: mix.exs names the systems, and
    // configuration names the adapter modules it loads (`settings.scm`).
    rules: rules![
        "elixir" / "env.scm",
        "elixir" / "web.scm",
        "elixir" / "clients.scm",
        "elixir" / "wrappers.scm",
        "elixir" / "calls.scm",
        "elixir" / "settings.scm"
    ],
    ecosystem: "hex",
};

/// Kotlin and Scala share Java's packages and Maven coordinates.
pub static KOTLIN: ParsedLanguage = ParsedLanguage {
    name: "kotlin",
    grammar: || tree_sitter_kotlin_ng::LANGUAGE.into(),
    rules: rules![
        "kotlin" / "env.scm",
        "kotlin" / "spring.scm",
        "kotlin" / "web.scm",
        "kotlin" / "imports.scm",
        "kotlin" / "clients.scm"
    ],
    ecosystem: "maven",
};

pub static SCALA: ParsedLanguage = ParsedLanguage {
    name: "scala",
    grammar: || tree_sitter_scala::LANGUAGE.into(),
    rules: rules!["scala" / "env.scm", "scala" / "web.scm", "scala" / "clients.scm"],
    ecosystem: "maven",
};

/// C and C++ have no package registry that names systems; their
/// ecosystem key matches no entry of `grammars/externals.toml`.
pub static C: ParsedLanguage = ParsedLanguage {
    name: "c",
    grammar: || tree_sitter_c::LANGUAGE.into(),
    rules: rules!["c" / "env.scm", "c" / "clients.scm"],
    ecosystem: "c",
};

pub static CPP: ParsedLanguage = ParsedLanguage {
    name: "cpp",
    grammar: || tree_sitter_cpp::LANGUAGE.into(),
    rules: rules!["cpp" / "env.scm", "cpp" / "web.scm", "cpp" / "clients.scm", "cpp" / "stubs.scm"],
    ecosystem: "c",
};

/// Every parsed language (TypeScript appears twice: .ts and .tsx grammars).
pub static PARSED: [&ParsedLanguage; 15] = [
    &PYTHON,
    &JAVASCRIPT,
    &TYPESCRIPT,
    &TSX,
    &GO,
    &JAVA,
    &CSHARP,
    &RUST,
    &RUBY,
    &PHP,
    &ELIXIR,
    &KOTLIN,
    &SCALA,
    &C,
    &CPP,
];

/// Programming languages pruv labels but does not parse yet: their files
/// are still code (a directory of them is a program's, not a build
/// helper's), and they still name a service's language.
const UNPARSED_CODE: &[&str] = &["swift"];

/// Whether files of this label are program code, parsed or not.
pub fn is_code(label: &str) -> bool {
    ecosystem_of(label).is_some() || UNPARSED_CODE.contains(&label)
}

/// The package ecosystem of a parsed language, by its label (`python` → `pypi`).
pub fn ecosystem_of(label: &str) -> Option<&'static str> {
    PARSED.iter().find(|language| language.name == label).map(|language| language.ecosystem)
}

/// What a file is, by name: a parsed language, or only a label.
#[derive(Clone, Copy)]
pub enum Detected {
    Parsed(&'static ParsedLanguage),
    Label(&'static str),
}

impl Detected {
    pub fn label(self) -> &'static str {
        match self {
            Detected::Parsed(language) => language.name,
            Detected::Label(label) => label,
        }
    }
}

/// Extensions (lower-case, without the dot) and what they are.
const BY_EXTENSION: &[(&str, Detected)] = &[
    ("py", Detected::Parsed(&PYTHON)),
    ("pyw", Detected::Parsed(&PYTHON)),
    ("js", Detected::Parsed(&JAVASCRIPT)),
    ("jsx", Detected::Parsed(&JAVASCRIPT)),
    ("mjs", Detected::Parsed(&JAVASCRIPT)),
    ("cjs", Detected::Parsed(&JAVASCRIPT)),
    ("ts", Detected::Parsed(&TYPESCRIPT)),
    ("mts", Detected::Parsed(&TYPESCRIPT)),
    ("cts", Detected::Parsed(&TYPESCRIPT)),
    ("tsx", Detected::Parsed(&TSX)),
    ("go", Detected::Parsed(&GO)),
    ("java", Detected::Parsed(&JAVA)),
    ("cs", Detected::Parsed(&CSHARP)),
    ("rs", Detected::Parsed(&RUST)),
    ("rb", Detected::Parsed(&RUBY)),
    ("rake", Detected::Parsed(&RUBY)),
    ("ru", Detected::Parsed(&RUBY)),
    ("kt", Detected::Parsed(&KOTLIN)),
    ("kts", Detected::Parsed(&KOTLIN)),
    ("scala", Detected::Parsed(&SCALA)),
    ("php", Detected::Parsed(&PHP)),
    ("c", Detected::Parsed(&C)),
    ("h", Detected::Parsed(&C)),
    ("cc", Detected::Parsed(&CPP)),
    ("cpp", Detected::Parsed(&CPP)),
    ("hpp", Detected::Parsed(&CPP)),
    ("swift", Detected::Label("swift")),
    ("sbt", Detected::Parsed(&SCALA)),
    ("ex", Detected::Parsed(&ELIXIR)),
    ("exs", Detected::Parsed(&ELIXIR)),
    ("cxx", Detected::Parsed(&CPP)),
    ("sh", Detected::Label("shell")),
    ("bash", Detected::Label("shell")),
    ("yml", Detected::Label("yaml")),
    ("yaml", Detected::Label("yaml")),
    ("json", Detected::Label("json")),
    ("toml", Detected::Label("toml")),
    ("xml", Detected::Label("xml")),
    ("csproj", Detected::Label("xml")),
    ("gradle", Detected::Label("gradle")),
    ("properties", Detected::Label("properties")),
    ("md", Detected::Label("markdown")),
    ("html", Detected::Label("html")),
    ("css", Detected::Label("css")),
    ("scss", Detected::Label("css")),
    ("sql", Detected::Label("sql")),
    ("proto", Detected::Label("protobuf")),
    ("tf", Detected::Label("terraform")),
    ("vue", Detected::Label("vue")),
    ("svelte", Detected::Label("svelte")),
];

/// Whole file names that decide the kind.
const BY_NAME: &[(&str, Detected)] = &[
    ("Dockerfile", Detected::Label("dockerfile")),
    ("Gemfile", Detected::Parsed(&RUBY)),
    ("artisan", Detected::Parsed(&PHP)),
    ("Rakefile", Detected::Parsed(&RUBY)),
    ("Makefile", Detected::Label("make")),
];

pub fn detect(path: &str) -> Option<Detected> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if let Some((_, detected)) = BY_NAME.iter().find(|(n, _)| *n == name) {
        return Some(*detected);
    }
    if name.starts_with("Dockerfile") || name.ends_with(".Dockerfile") || name.ends_with(".dockerfile") {
        return Some(Detected::Label("dockerfile"));
    }
    if name.starts_with(".env") {
        return Some(Detected::Label("dotenv"));
    }
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    BY_EXTENSION.iter().find(|(e, _)| *e == extension).map(|(_, detected)| *detected)
}
