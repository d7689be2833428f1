//! Frameworks named by manifest dependencies (`grammars/frameworks.toml`),
//! and the kind of service each makes.

use std::sync::OnceLock;

use super::model::ServiceKind;

pub struct Framework {
    pub name: String,
    pub kind: ServiceKind,
    pub rank: i64,
    /// Where it listens when nothing says otherwise.
    pub default_port: Option<u16>,
    pub packages: Vec<(String, Vec<String>)>,
}

const TABLE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/grammars/frameworks.toml"));

pub fn all() -> &'static [Framework] {
    static ALL: OnceLock<Vec<Framework>> = OnceLock::new();
    ALL.get_or_init(|| {
        let table: toml::Table = TABLE.parse().unwrap_or_else(|e| panic!("grammars/frameworks.toml: {e}"));
        table
            .iter()
            .map(|(name, value)| {
                let kind = match value.get("kind").and_then(|k| k.as_str()) {
                    Some("frontend") => ServiceKind::Frontend,
                    Some("worker") => ServiceKind::Worker,
                    _ => ServiceKind::Service,
                };
                let packages = value
                    .as_table()
                    .into_iter()
                    .flatten()
                    .filter_map(|(key, v)| {
                        let list = v.as_array()?.iter().filter_map(|p| p.as_str()).map(str::to_owned).collect();
                        Some((key.clone(), list))
                    })
                    .collect();
                Framework {
                    name: name.clone(),
                    kind,
                    rank: value.get("rank").and_then(|r| r.as_integer()).unwrap_or(0),
                    default_port: value.get("port").and_then(|p| p.as_integer()).and_then(|p| u16::try_from(p).ok()),
                    packages,
                }
            })
            .collect()
    })
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
}
