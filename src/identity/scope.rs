//! Scopes: dotted names (`deploy.prod.eu`) that an identity may act in.
//!
//! A pattern is a scope name, or a name ending in `.*`, which grants
//! everything strictly below it: `deploy.*` matches `deploy.prod` and
//! `deploy.prod.eu` but not `deploy` itself (granting a namespace is not
//! granting its root, the way `/srv/*` does not name `/srv`). A lone `*`
//! matches every scope.

/// Checks that `pattern` is a scope pattern an identity can be registered with.
pub fn validate_pattern(pattern: &str) -> Result<(), String> {
    if pattern == "*" {
        return Ok(());
    }
    let name = pattern.strip_suffix(".*").unwrap_or(pattern);
    validate_name(name).map_err(|why| format!("scope pattern {pattern:?}: {why}"))
}

/// Checks that `name` is a concrete scope (what an action is done in).
pub fn validate_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a scope must not be empty".into());
    }
    for segment in name.split('.') {
        if segment.is_empty() {
            return Err(format!("{name:?} has an empty segment (two dots, or a dot at an end)"));
        }
        if segment.contains('*') {
            return Err(format!("{name:?}: `*` may only be the whole last segment of a pattern (`deploy.*`)"));
        }
        if segment.chars().any(|c| c.is_whitespace() || c.is_control() || c == ',') {
            return Err(format!("{name:?} contains whitespace, a comma or a control character"));
        }
    }
    Ok(())
}

/// Whether `pattern` grants `scope`.
pub fn matches(pattern: &str, scope: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match pattern.strip_suffix(".*") {
        Some(prefix) => scope.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.') && rest.len() > 1),
        None => pattern == scope,
    }
}

/// Whether any of `patterns` grants `scope`.
pub fn granted(patterns: &[String], scope: &str) -> bool {
    patterns.iter().any(|p| matches(p, scope))
}

/// Splits a `--scope a,b` argument (repeatable) into validated patterns.
pub fn parse_patterns<'a>(arguments: impl IntoIterator<Item = &'a str>) -> Result<Vec<String>, String> {
    let mut patterns = Vec::new();
    for argument in arguments {
        for pattern in argument.split(',').map(str::trim) {
            validate_pattern(pattern)?;
            if !patterns.iter().any(|p| p == pattern) {
                patterns.push(pattern.to_owned());
            }
        }
    }
    if patterns.is_empty() {
        return Err("at least one scope is required".into());
    }
    Ok(patterns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_wildcard_grants_everything_below_but_not_the_root() {
        assert!(matches("deploy.*", "deploy.prod"));
        assert!(matches("deploy.*", "deploy.prod.eu"));
        assert!(!matches("deploy.*", "deploy"));
        assert!(!matches("deploy.*", "deployment.prod"));
        assert!(!matches("deploy.*", "deploy."));
        assert!(!matches("deploy.*", "ops.deploy.prod"));
    }

    #[test]
    fn exact_and_universal_patterns() {
        assert!(matches("read", "read"));
        assert!(!matches("read", "read.all"));
        assert!(!matches("read", "rea"));
        assert!(matches("*", "anything.at.all"));
        assert!(granted(&["read".into(), "deploy.*".into()], "deploy.staging"));
        assert!(!granted(&["read".into(), "deploy.*".into()], "write"));
    }

    #[test]
    fn patterns_are_validated_and_split() {
        assert_eq!(parse_patterns(["read, deploy.*", "read"]).unwrap(), ["read", "deploy.*"]);
        for bad in ["", "a..b", ".a", "a.", "de*ploy", "*.deploy", "deploy.**", "a b"] {
            assert!(parse_patterns([bad]).is_err(), "{bad:?} was accepted");
        }
        assert!(validate_name("deploy.*").is_err(), "an action's scope is concrete");
        assert!(validate_name("deploy.prod").is_ok());
    }
}
