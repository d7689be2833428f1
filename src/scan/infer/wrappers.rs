//! Env reads through a project's own wrapper functions. Extraction finds
//! functions whose body reads the env var their first parameter names
//! (`def env_bool(name, default)`, `func getEnv(key, fallback string)`)
//! and calls with an env-shaped literal first; here the two meet, across
//! files of one ecosystem, so `env_bool("DEBUG")` in settings is a read of
//! `DEBUG` wherever `env_bool` is defined.

use super::*;
use crate::scan::facts::Fact;

impl Builder {
    /// Every wrapper function of the tree, by ecosystem (`pypi`, `npm`, …).
    pub(super) fn find_env_wrappers(&mut self, files: &[Processed]) {
        for file in files {
            let Some(ecosystem) = ecosystem_of(file) else { continue };
            for fact in &file.code {
                if let FactKind::EnvWrapper { function } = &fact.kind {
                    self.env_wrappers.insert((ecosystem.to_owned(), function.clone()));
                }
            }
        }
    }

    /// The env var `fact` reads: a direct read, or a call of a wrapper with
    /// the name as a literal (not one already read directly on that line).
    pub(super) fn env_read_of<'a>(&self, file: &'a Processed, fact: &'a Fact) -> Option<&'a str> {
        match &fact.kind {
            FactKind::EnvRead { name, .. } => Some(name),
            FactKind::Call { function, name } => {
                let ecosystem = ecosystem_of(file)?;
                let wrapper = self.env_wrappers.contains(&(ecosystem.to_owned(), function.clone()));
                let direct = file.code.iter().any(|other| {
                    other.line == fact.line && matches!(&other.kind, FactKind::EnvRead { name: n, .. } if n == name)
                });
                (wrapper && !direct).then_some(name.as_str())
            }
            _ => None,
        }
    }
}

fn ecosystem_of(file: &Processed) -> Option<&'static str> {
    file.entry.as_ref()?.language.as_deref().and_then(crate::scan::lang::ecosystem_of)
}
