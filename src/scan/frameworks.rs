//! Frameworks named by manifest dependencies (`grammars/frameworks.toml`),
//! and the kind of service each makes.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::model::ServiceKind;

pub struct Framework {
    pub name: String,
    pub kind: ServiceKind,
    pub rank: i64,
    /// Where it listens when nothing says otherwise.
    pub default_port: Option<u16>,
    pub packages: Vec<(String, Vec<String>)>,
    /// Words of a command line that runs it (`sidekiq`, `celery`): a compose
    /// service or Procfile process with such a command is this worker.
    pub commands: Vec<String>,
    /// A front end built to static files that another origin serves.
    pub static_build: bool,
    /// Env vars whose value picks the framework's driver, and the system
    /// each value is (`DB_CONNECTION` = `pgsql` → postgres), values lower-cased.
    pub drivers: BTreeMap<String, BTreeMap<String, String>>,
}

impl Framework {
    /// The system the framework drives when env var `name` holds `value`.
    pub fn driver(&self, name: &str, value: &str) -> Option<&str> {
        self.drivers.get(name)?.get(&value.trim().to_ascii_lowercase()).map(String::as_str)
    }
}

const TABLE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars/frameworks.toml"));

/// The table as written: the generic words of worker commands, then one
/// entry per framework. Unknown keys are refused, so a typo cannot silently
/// drop a rule (an unknown top-level key is read as a framework, and fails as one).
#[derive(Deserialize)]
struct Table {
    worker_words: Vec<String>,
    scheduler_words: Vec<String>,
    token_issuers: Vec<String>,
    #[serde(flatten)]
    frameworks: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    kind: Kind,
    rank: i64,
    port: Option<u16>,
    #[serde(default)]
    commands: Vec<String>,
    #[serde(default)]
    static_build: bool,
    #[serde(default)]
    drivers: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    npm: Vec<String>,
    #[serde(default)]
    pypi: Vec<String>,
    #[serde(default)]
    go: Vec<String>,
    #[serde(default)]
    maven: Vec<String>,
    #[serde(default)]
    nuget: Vec<String>,
    #[serde(default)]
    cargo: Vec<String>,
    #[serde(default)]
    gem: Vec<String>,
    #[serde(default)]
    composer: Vec<String>,
    #[serde(default)]
    hex: Vec<String>,
    #[serde(default)]
    cmake: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Frontend,
    Service,
    Worker,
}

struct Loaded {
    frameworks: Vec<Framework>,
    worker_words: Vec<String>,
    scheduler_words: Vec<Vec<String>>,
    /// (ecosystem, package) of OAuth 2.0 / OpenID Connect server libraries.
    token_issuers: Vec<(String, String)>,
}

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| parse(TABLE).unwrap_or_else(|e| panic!("grammars/frameworks.toml: {e}")))
}

fn parse(text: &str) -> Result<Loaded, String> {
    let table: Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let frameworks = table
        .frameworks
        .into_iter()
        .map(|(name, entry)| {
            let Entry {
                kind,
                rank,
                port,
                commands,
                static_build,
                drivers,
                npm,
                pypi,
                go,
                maven,
                nuget,
                cargo,
                gem,
                composer,
                hex,
                cmake,
            } = entry;
            let lists = [
                ("npm", npm),
                ("pypi", pypi),
                ("go", go),
                ("maven", maven),
                ("nuget", nuget),
                ("cargo", cargo),
                ("gem", gem),
                ("composer", composer),
                ("hex", hex),
                ("cmake", cmake),
            ];
            let packages = lists.into_iter().filter(|(_, l)| !l.is_empty()).map(|(e, l)| (e.to_owned(), l)).collect();
            let kind = match kind {
                Kind::Frontend => ServiceKind::Frontend,
                Kind::Service => ServiceKind::Service,
                Kind::Worker => ServiceKind::Worker,
            };
            if kind != ServiceKind::Worker && !commands.is_empty() {
                return Err(format!("[{name}]: `commands` name worker processes; this is a {kind:?}"));
            }
            if kind != ServiceKind::Frontend && static_build {
                return Err(format!("[{name}]: `static_build` is for front ends; this is a {kind:?}"));
            }
            for (variable, values) in &drivers {
                if let Some(unknown) = values.values().find(|id| super::externals::by_id(id).is_none()) {
                    return Err(format!(
                        "[{name}.drivers.{variable}]: {unknown:?} is no system of grammars/externals.toml"
                    ));
                }
            }
            let drivers = drivers
                .into_iter()
                .map(|(variable, values)| {
                    (variable, values.into_iter().map(|(v, id)| (v.to_ascii_lowercase(), id)).collect())
                })
                .collect();
            Ok(Framework { name, kind, rank, default_port: port, packages, commands, static_build, drivers })
        })
        .collect::<Result<_, String>>()?;
    let scheduler_words = table
        .scheduler_words
        .iter()
        .map(|phrase| phrase.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect::<Vec<_>>();
    if scheduler_words.iter().any(Vec::is_empty) {
        return Err("scheduler_words: an empty phrase".to_owned());
    }
    let token_issuers = table
        .token_issuers
        .iter()
        .map(|entry| {
            let (ecosystem, package) =
                entry.split_once(':').ok_or_else(|| format!("token_issuers: {entry:?} is not ecosystem:package"))?;
            if !super::externals::ECOSYSTEMS.contains(&ecosystem) {
                return Err(format!("token_issuers: {entry:?} names no package ecosystem"));
            }
            Ok((ecosystem.to_owned(), package.to_ascii_lowercase()))
        })
        .collect::<Result<_, String>>()?;
    Ok(Loaded { frameworks, worker_words: table.worker_words, scheduler_words, token_issuers })
}

pub fn all() -> &'static [Framework] {
    &loaded().frameworks
}

/// A command line that runs a worker, and the worker framework it names if
/// any: `celery -A app worker` is celery's, `bin/consume-events` is a worker of no
/// known framework.
pub fn worker_command(command: &str) -> Option<Option<&'static Framework>> {
    let command = command.to_ascii_lowercase();
    let framework = all().iter().find(|f| f.commands.iter().any(|word| command.contains(word.as_str())));
    if framework.is_some() {
        return Some(framework);
    }
    loaded().worker_words.iter().any(|word| command.contains(word.as_str())).then_some(None)
}

/// A command line that only enqueues work on a schedule (`celery -A app beat`,
/// `clockwork lib/clock.rb`, `rq scheduler`): the jobs themselves run in
/// the workers. Phrases match whole words, so `--beat` (a worker with an
/// embedded scheduler) and `app.scheduler` do not.
pub fn is_scheduler_command(command: &str) -> bool {
    let words: Vec<String> = command.split_whitespace().map(str::to_ascii_lowercase).collect();
    loaded().scheduler_words.iter().any(|phrase| words.windows(phrase.len()).any(|window| window == phrase.as_slice()))
}

/// Whether a dependency makes its service an OAuth 2.0 / OpenID Connect server.
pub fn is_token_issuer(ecosystem: &str, package: &str) -> bool {
    let ecosystem = super::externals::package_ecosystem(ecosystem);
    let package = package.to_ascii_lowercase();
    loaded().token_issuers.iter().any(|(e, p)| e == ecosystem && *p == package)
}

/// The framework a dependency names, if any.
pub fn by_package(ecosystem: &str, name: &str) -> Option<&'static Framework> {
    let ecosystem = super::externals::package_ecosystem(ecosystem);
    all().iter().find(|f| {
        f.packages.iter().filter(|(e, _)| e == ecosystem).flat_map(|(_, p)| p).any(|p| {
            name == p
                || (ecosystem == "go" && name.starts_with(&format!("{p}/")))
                || (ecosystem == "maven" && !p.contains(':') && name.starts_with(&format!("{p}:")))
        })
    })
}

/// Kind and rank of a framework found in code (`python.framework.fastapi` → fastapi).
pub fn by_name(name: &str) -> Option<&'static Framework> {
    all().iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(by_package("npm", "next").map(|f| f.kind), Some(ServiceKind::Frontend));
        assert_eq!(by_package("go", "github.com/gin-gonic/gin").map(|f| f.name.as_str()), Some("gin"));
        assert_eq!(
            by_package("gradle", "org.springframework.boot:spring-boot-starter-web").map(|f| f.name.as_str()),
            Some("spring")
        );
        assert_eq!(
            by_package("maven", "org.springframework.boot:spring-boot-starter-actuator").map(|f| f.name.as_str()),
            Some("spring")
        );
        assert_eq!(by_name("celery").map(|f| f.kind), Some(ServiceKind::Worker));
        assert!(by_package("npm", "lodash").is_none());
    }

    #[test]
    fn worker_commands() {
        let name = |command: &str| worker_command(command).map(|f| f.map(|f| f.name.as_str()));
        assert_eq!(name("celery -A app worker -l info"), Some(Some("celery")));
        assert_eq!(name("bundle exec sidekiq -C config/sidekiq.yml"), Some(Some("sidekiq")));
        assert_eq!(name("bundle exec clockwork lib/clock.rb"), Some(Some("clockwork")));
        assert_eq!(name("php artisan queue:work redis"), Some(None));
        assert_eq!(name("php artisan schedule:run"), Some(None));
        assert_eq!(name("bin/consume-events"), None);
        assert_eq!(name("bundle exec puma -C config/puma.rb"), None);
        assert_eq!(name("gunicorn app:app"), None);
    }

    #[test]
    fn token_issuers() {
        assert!(is_token_issuer("nuget", "Duende.IdentityServer"));
        assert!(is_token_issuer("gradle", "org.springframework.security:spring-security-oauth2-authorization-server"));
        assert!(!is_token_issuer("nuget", "Microsoft.AspNetCore.Authentication.OpenIdConnect"));
        assert!(!is_token_issuer("npm", "doorkeeper"));
    }

    #[test]
    fn scheduler_commands() {
        assert!(is_scheduler_command("celery -A saleor.celeryconf:app beat --scheduler x"));
        assert!(is_scheduler_command("bundle exec clockwork lib/clock.rb"));
        assert!(is_scheduler_command("python manage.py rq scheduler"));
        assert!(is_scheduler_command("scheduler"));
        // A worker with an embedded scheduler runs the jobs too.
        assert!(!is_scheduler_command("celery -A app worker --beat"));
        assert!(!is_scheduler_command("python -m app.scheduler"));
        // Laravel's scheduler runs the scheduled commands in its own process.
        assert!(!is_scheduler_command("php artisan schedule:run"));
    }

    #[test]
    fn the_table_refuses_what_it_does_not_know() {
        let typo = "worker_words = []\nscheduler_words = []\ntoken_issuers = []\n[x]\nkind = \"service\"\nrank = 1\nnmp = [\"x\"]\n";
        assert!(parse(typo).is_err_and(|e| e.contains("nmp")));
        let commands_on_a_server =
            "worker_words = []\nscheduler_words = []\n[x]\nkind = \"service\"\nrank = 1\ncommands = [\"x\"]\n";
        assert!(parse(commands_on_a_server).is_err());
    }
}
