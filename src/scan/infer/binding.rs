//! Env vars read under derived names. Configuration libraries read a key
//! from an env var whose name they derive from it: Spring Boot's relaxed
//! binding (`retail.db.url` ← `RETAIL_DB_URL`), ASP.NET Core configuration
//! (`Identity:Url` ← `Identity__Url`), viper with an env prefix
//! (`log.level` ← `ND_LOG_LEVEL`). Such a read shows in code only as the
//! key, so a variable counts as read when a definition that reaches the
//! service has the derived name of a key the service reads.

use super::*;

/// What one service's code says about its configuration library.
#[derive(Default)]
pub(super) struct Binding {
    /// (key, file, line, rule)
    pub(super) keys: Vec<(String, String, u32, &'static str)>,
    /// Env prefixes its library reads under ("" for the key's own name).
    pub(super) prefixes: BTreeSet<String>,
}

/// The convention by which a service's configuration library names env vars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Convention {
    /// Spring Boot: lower-case, `_` → `.`, dashes and case ignored.
    Spring,
    /// ASP.NET Core: `__` → `:`, case ignored.
    DotNet,
    /// viper and similar: PREFIX_ + the key upper-cased, `.`/`-` → `_`.
    Prefixed,
}

/// Namespaces of properties Spring Boot and Spring Cloud read themselves:
/// a variable of that shape given to a Spring service is read by the framework.
const SPRING_NAMESPACES: &[&str] =
    &["spring", "server", "management", "logging", "eureka", "feign", "ribbon", "hystrix", "zuul", "resilience4j"];

/// A variable read by binding: (variable, service, file, line, rule).
pub(super) type BoundRead = (String, String, String, u32, &'static str);

impl Builder {
    /// Variables read through a configuration library, given the variables
    /// each service can see (`visible`: service id → names defined for it).
    pub(super) fn bound_reads(
        &self,
        bindings: &BTreeMap<String, Binding>,
        visible: &BTreeMap<String, BTreeMap<String, (String, u32)>>,
    ) -> Vec<BoundRead> {
        let mut out = Vec::new();
        for service in &self.services {
            let Some(names) = visible.get(&service.id) else { continue };
            let binding = bindings.get(&service.id);
            for convention in self.conventions_of(service, binding) {
                for (name, (path, line)) in names {
                    if let Some((file, at, rule)) = bound_key(convention, name, binding) {
                        out.push((name.clone(), service.id.clone(), file, at, rule));
                    } else if convention == Convention::Spring
                        && spring_namespace(name)
                        && self.deployed_for(&service.id, name)
                    {
                        out.push((
                            name.clone(),
                            service.id.clone(),
                            path.clone(),
                            *line,
                            "spring.env.framework-property",
                        ));
                    }
                }
            }
        }
        out
    }

    fn conventions_of(&self, service: &Service, binding: Option<&Binding>) -> Vec<Convention> {
        let mut conventions = Vec::new();
        if service.framework.as_deref() == Some("spring") {
            conventions.push(Convention::Spring);
        }
        if service.language.as_deref() == Some("csharp") {
            conventions.push(Convention::DotNet);
        }
        if binding.is_some_and(|b| !b.prefixes.is_empty()) {
            conventions.push(Convention::Prefixed);
        }
        conventions
    }

    /// Whether a compose service or workload running `id` sets `name` in its environment.
    fn deployed_for(&self, id: &str, name: &str) -> bool {
        let compose = self.projects.iter().flat_map(|p| &p.services).any(|c| {
            c.environment.iter().any(|(_, e)| e.name == name)
                && self.aliases.get(&c.name, &c.project_dir).as_deref() == Some(id)
        });
        compose
            || self.kube.workloads.iter().any(|w| {
                w.env.iter().any(|(_, e)| e.name == name)
                    && self.aliases.get(&w.workload.name, "").as_deref() == Some(id)
            })
    }
}

/// The key of `binding` that env var `name` sets under `convention`, with where the key is read.
fn bound_key(convention: Convention, name: &str, binding: Option<&Binding>) -> Option<(String, u32, &'static str)> {
    let binding = binding?;
    let found = binding.keys.iter().find(|(key, ..)| match convention {
        Convention::Spring => spring_binds(name, key),
        Convention::DotNet => dotnet_binds(name, key),
        Convention::Prefixed => binding.prefixes.iter().any(|prefix| prefixed_name(prefix, key) == name),
    })?;
    let (_, path, line, rule) = found;
    let rule = match convention {
        Convention::Spring => "spring.env.relaxed-binding",
        Convention::DotNet => "dotnet.env.configuration-binding",
        Convention::Prefixed => rule_prefixed(rule),
    };
    Some((path.clone(), *line, rule))
}

fn rule_prefixed(key_rule: &str) -> &'static str {
    if key_rule.starts_with("go.") { "go.env.viper-binding" } else { "env.prefix-binding" }
}

/// Spring's relaxed binding: RETAIL_DB_URL sets `retail.db.url`,
/// `retail.db-url` and `retail.dbUrl`, and every key below a bound prefix
/// (`@ConfigurationProperties("retail.db")`).
fn spring_binds(name: &str, key: &str) -> bool {
    let flat = |s: &str| s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    let env_dotted = name.to_ascii_lowercase().replace('_', ".");
    let key_dotted = key.to_ascii_lowercase().replace('-', "");
    flat(name) == flat(key) || env_dotted.starts_with(&format!("{key_dotted}."))
}

/// ASP.NET Core: `Identity__Url` sets `Identity:Url`; a section binds what is below it.
fn dotnet_binds(name: &str, key: &str) -> bool {
    let name = name.replace("__", ":").to_ascii_lowercase();
    let key = key.to_ascii_lowercase();
    name == key || name.starts_with(&format!("{key}:"))
}

/// `ND` + `log.level` → `ND_LOG_LEVEL` (viper with a `.`/`-` → `_` replacer).
fn prefixed_name(prefix: &str, key: &str) -> String {
    let key = key.to_ascii_uppercase().replace(['.', '-'], "_");
    if prefix.is_empty() { key } else { format!("{}_{key}", prefix.to_ascii_uppercase()) }
}

fn spring_namespace(name: &str) -> bool {
    let first = name.split('_').next().unwrap_or("").to_ascii_lowercase();
    SPRING_NAMESPACES.contains(&first.as_str()) && name.contains('_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spring_relaxed_binding() {
        assert!(spring_binds("RETAIL_DB_URL", "retail.db.url"));
        assert!(spring_binds("RETAIL_DB_TABLENAME", "retail.db.table-name"));
        assert!(spring_binds("RETAIL_DB_TABLE_NAME", "retail.db.tableName"));
        assert!(spring_binds("RETAIL_DB_CREATE_TABLE", "retail.db"));
        assert!(!spring_binds("RETAIL_DBX", "retail.db"));
        assert!(!spring_binds("OTHER_URL", "retail.db.url"));
        assert!(spring_namespace("SPRING_DATASOURCE_URL"));
        assert!(spring_namespace("EUREKA_CLIENT_SERVICEURL_DEFAULTZONE"));
        assert!(!spring_namespace("SPRING"));
        assert!(!spring_namespace("DATABASE_URL"));
    }

    #[test]
    fn dotnet_binding() {
        assert!(dotnet_binds("Identity__Url", "Identity:Url"));
        assert!(dotnet_binds("IdentityUrl", "IdentityUrl"));
        assert!(dotnet_binds("ConnectionStrings__catalogdb", "ConnectionStrings:CatalogDB"));
        assert!(dotnet_binds("Identity__Url", "Identity"));
        assert!(!dotnet_binds("IdentityUrlExternal", "IdentityUrl"));
    }

    #[test]
    fn prefixed_names() {
        assert_eq!(prefixed_name("ND", "log.level"), "ND_LOG_LEVEL");
        assert_eq!(prefixed_name("podinfo", "ui-color"), "PODINFO_UI_COLOR");
        assert_eq!(prefixed_name("", "port"), "PORT");
    }
}
