//! What extraction finds in one file, before inference relates it to
//! anything else. Values of env vars are kept here only to resolve
//! connections; they never reach the output.

use serde::{Deserialize, Serialize};

use super::model::ConnectionKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub line: u32,
    /// Stable rule id (`python.env.os-getenv`, `compose.service`, …).
    #[serde(deserialize_with = "interned")]
    pub rule: Label,
    pub kind: FactKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FactKind {
    /// Code reads an environment variable; `default`: with a fallback
    /// (`getenv("X", "d")`, `process.env.X ?? "d"`, `${X:d}`).
    EnvRead {
        name: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        default: bool,
        /// The fallback when it is a literal, reduced to its address part
        /// (`getenv("CART_HOST", "cart")`): where the code points when the
        /// variable is unset.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fallback: Option<String>,
    },
    /// A web (or worker) framework is set up here.
    Framework { name: String, port: Option<u16> },
    /// A server listens: on a literal port, or on one read from an env var.
    Listen { port: Option<u16>, env: Option<String> },
    /// A module/package import.
    Import { module: String },
    /// An outgoing client aimed at a URL literal or at an env var's value.
    Target { kind: ConnectionKind, url: Option<String>, env: Option<String> },
    /// A string literal that looks like a connection URL (`postgres://…`).
    Literal { url: String },
    /// A configuration key the code reads through a configuration library
    /// (`@Value("${retail.db.url}")`, `configuration["Identity:Url"]`,
    /// `viper.GetString("log.level")`). Such libraries also take the key
    /// from an env var of a derived name; inference decides which.
    ConfigKey { key: String },
    /// The code has its configuration library read env vars under this
    /// prefix (`viper.SetEnvPrefix("ND")`; "" for `viper.AutomaticEnv()`).
    EnvPrefix { prefix: String },
    /// A function that reads the env var its first parameter names
    /// (`def env_bool(name, default): return os.getenv(name, default)`).
    EnvWrapper { function: String },
    /// A call with an env-shaped string as its first argument
    /// (`env_bool("DEBUG")`): a read when the function is a wrapper.
    Call { function: String, name: String },
    /// The code uses a Dapr building block (`pubsub`, `state`, `bindings`,
    /// `secretstores`) through the Dapr client; the tree's components of
    /// that block say which system serves it.
    DaprUse { block: String },
    /// A name that holds the env record itself (`const env = process.env`,
    /// `env = withSecrets(process.env)`); `default` for a module's default
    /// export (`export default process.env`).
    EnvRecord { binding: String },
    /// A name an import binds in this file to what another module exports
    /// (`import env from "./environment"`: `env` ← `default` of `./environment`).
    ImportBinding { binding: String, module: String, exported: String },
    /// An env-shaped member read through a name (`env.DATABASE_URL`,
    /// `const { PORT } = env`): a read when the name holds the env record.
    Member { object: String, name: String },
    /// A gRPC stub or service base generated from a `.proto` service, used
    /// here: `symbol` is the generated name as the code spells it
    /// (`NewCartServiceClient`, `CartServiceStub`, `CartServiceImplBase`);
    /// `serves` when the code implements the service, not calls it.
    GrpcStub { symbol: String, serves: bool },
}

/// A label from the scanner's own tables. (An alias, so that serde does
/// not take the reference for one borrowed from its input.)
pub type Label = &'static str;

/// Reads a rule id or other label back from the scan cache as the
/// `&'static str` the scanner's tables hand out. Each distinct text is
/// leaked once: there are as many as there are rules, not as facts.
pub fn interned<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Label, D::Error> {
    let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
    Ok(intern(&text))
}

pub fn intern(text: &str) -> &'static str {
    static TABLE: std::sync::Mutex<Option<std::collections::HashSet<&'static str>>> = std::sync::Mutex::new(None);
    let mut table = TABLE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let table = table.get_or_insert_with(Default::default);
    match table.get(text) {
        Some(known) => known,
        None => {
            let leaked: &'static str = Box::leak(text.to_owned().into_boxed_str());
            table.insert(leaked);
            leaked
        }
    }
}
