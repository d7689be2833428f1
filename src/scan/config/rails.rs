//! Rails' own configuration files, read as Rails reads them: each names, by
//! a short word, code Rails loads by a path built from that word. The path
//! is what the scan keeps, as an import the framework makes, so the catalog
//! maps it to a system like any other import:
//!
//! - `config/database.yml` `adapter: postgresql` →
//!   `active_record/connection_adapters/postgresql_adapter`;
//! - `config/cable.yml` `adapter: redis` → `action_cable/subscription_adapter/redis`;
//! - `config/storage.yml` `service: S3` → `active_storage/service/s3_service`.
//!
//! The `test` environment's settings are left out: they configure the
//! test suite, not the system. ERB tags are blanked before the YAML is read
//! (a value computed by Ruby is not a word Rails is given here).

use super::yaml::{self, Node, Yaml};

/// Which of Rails' configuration files `path` is, if any.
pub fn file_of(path: &str) -> Option<RailsFile> {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    if !(dir == "config" || dir.ends_with("/config")) {
        return None;
    }
    match name {
        "database.yml" => Some(RailsFile::Database),
        "cable.yml" => Some(RailsFile::Cable),
        "storage.yml" => Some(RailsFile::Storage),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RailsFile {
    Database,
    Cable,
    Storage,
}

impl RailsFile {
    /// The key that names what Rails loads, and the path it loads for a value.
    fn key(self) -> &'static str {
        match self {
            RailsFile::Database | RailsFile::Cable => "adapter",
            RailsFile::Storage => "service",
        }
    }

    fn load_path(self, word: &str) -> String {
        match self {
            RailsFile::Database => format!("active_record/connection_adapters/{word}_adapter"),
            RailsFile::Cable => format!("action_cable/subscription_adapter/{word}"),
            // `AzureStorage` → `azure_storage_service`, as ActiveStorage resolves it.
            RailsFile::Storage => format!("active_storage/service/{}_service", snake_case(word)),
        }
    }
}

/// The paths Rails loads for the file's settings, each with its line.
pub fn loads(file: RailsFile, text: &str) -> Result<Vec<(String, u32)>, String> {
    let documents = yaml::parse(&blank_erb(text))?;
    let mut found = Vec::new();
    for document in &documents {
        for (environment, settings) in document.entries() {
            if environment != "test" {
                collect(file, settings, &mut found, 0);
            }
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn collect(file: RailsFile, node: &Node, found: &mut Vec<(String, u32)>, depth: usize) {
    // database.yml nests one level for several databases (`production: primary: adapter:`).
    if depth > 2 {
        return;
    }
    if let Yaml::Map(entries) = &node.value {
        for (key, value) in entries {
            match value.str() {
                Some(word) if key == file.key() && is_word(word) => found.push((file.load_path(word), value.line)),
                _ => collect(file, value, found, depth + 1),
            }
        }
    }
}

fn is_word(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn snake_case(word: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in word.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_ascii_lowercase();
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The text with every `<% … %>` tag replaced by spaces (newlines kept).
fn blank_erb(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for part in super::erb_parts(text) {
        match part {
            super::ErbPart::Text(text) => out.push_str(text),
            // The tag's delimiters, `<%` and `%>`, blanked with it.
            super::ErbPart::Tag(tag) => out += &format!("  {}  ", super::blank(tag)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_adapters_outside_the_test_environment() {
        let text = "default: &default\n  adapter: postgresql\n  pool: <%= ENV.fetch(\"RAILS_MAX_THREADS\") { 5 } %>\n\ndevelopment:\n  <<: *default\n\ntest:\n  adapter: sqlite3\n\nproduction:\n  primary:\n    <<: *default\n  cache:\n    adapter: <%= ENV['CACHE_ADAPTER'] %>\n";
        let found = loads(RailsFile::Database, text).unwrap();
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["active_record/connection_adapters/postgresql_adapter"]);
        assert_eq!(found[0].1, 2);
    }

    #[test]
    fn cable_and_storage() {
        let cable = "development:\n  adapter: async\ntest:\n  adapter: test\nproduction:\n  adapter: redis\n  url: <%= ENV['REDIS_URL'] %>\n";
        let paths: Vec<String> = loads(RailsFile::Cable, cable).unwrap().into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["action_cable/subscription_adapter/async", "action_cable/subscription_adapter/redis"]);
        let storage = "test:\n  service: Disk\nlocal:\n  service: Disk\namazon:\n  service: S3\n  bucket: x\nazure:\n  service: AzureStorage\n";
        let paths: Vec<String> = loads(RailsFile::Storage, storage).unwrap().into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                "active_storage/service/azure_storage_service",
                "active_storage/service/disk_service",
                "active_storage/service/s3_service"
            ]
        );
    }

    #[test]
    fn only_rails_config_directories() {
        assert_eq!(file_of("config/database.yml"), Some(RailsFile::Database));
        assert_eq!(file_of("apps/web/config/storage.yml"), Some(RailsFile::Storage));
        assert_eq!(file_of("deploy/database.yml"), None);
        assert_eq!(file_of("config/application.yml"), None);
    }
}
