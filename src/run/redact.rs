//! Secrets kept out of a run record: the values of the environment
//! variables whose names say they are credentials (or that `--redact`
//! names) wherever they appear, and text shaped like a credential
//! (`password=…`, `Bearer …`, provider token prefixes, private keys).

use regex::Regex;

const MARK: &str = "[REDACTED]";
/// Values shorter than this are too common to replace wherever they occur.
const MIN_VALUE_LEN: usize = 4;

pub struct Redactor {
    /// (variable name, value), longest value first.
    values: Vec<(String, String)>,
    patterns: Vec<Regex>,
}

impl Redactor {
    /// From the environment the command runs with: the variables named in
    /// `extra`, and those [`crate::scan::redact::secret_name`] calls secret.
    pub fn new<'a>(env: impl IntoIterator<Item = (&'a str, &'a str)>, extra: &[String]) -> Redactor {
        let mut values: Vec<(String, String)> = env
            .into_iter()
            .filter(|(name, value)| {
                (extra.iter().any(|e| e == name) || crate::scan::redact::secret_name(name))
                    && value.len() >= MIN_VALUE_LEN
            })
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        values.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        let patterns = [
            // key=value and key: value, where the key names a credential.
            r"(?i)\b([A-Z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|apikey|private[_-]?key|credential)s?[A-Z0-9_.-]*)(\s*[=:]\s*)([^\s&'\x22,;]+)",
            // --password x / --token=x
            r"(?i)(--?(?:password|passwd|secret|token|api-key|apikey))(=|\s+)(\S+)",
            // Authorization headers.
            r"(?i)\b(bearer|basic|token)(\s+)([A-Za-z0-9._~+/=-]{8,})",
            // Provider tokens recognisable by their prefix.
            r"()()\b((?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,}|sk_live_[A-Za-z0-9]{16,}|rk_live_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{35})",
            // URL userinfo: scheme://user:password@host
            r"([a-z][a-z0-9+.-]*://[^\s:/@]+)(:)([^\s@/]+)@",
        ]
        .iter()
        .map(|p| Regex::new(p).expect("the redaction patterns are valid"))
        .collect();
        Redactor { values, patterns }
    }

    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (name, value) in &self.values {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), &format!("[REDACTED:{name}]"));
            }
        }
        for (i, pattern) in self.patterns.iter().enumerate() {
            let userinfo = i == self.patterns.len() - 1;
            out = pattern
                .replace_all(&out, |c: &regex::Captures<'_>| {
                    let secret = &c[3];
                    if secret.starts_with("[REDACTED") {
                        return c[0].to_owned();
                    }
                    let at = if userinfo { "@" } else { "" };
                    format!("{}{}{MARK}{at}", &c[1], &c[2])
                })
                .into_owned();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_replaced_and_the_rest_kept() {
        let env = [("DB_PASSWORD", "hunter2-very-secret"), ("HOME", "/home/me"), ("SHORT_TOKEN", "ab")];
        let r = Redactor::new(env, &["DEPLOY_TARGET".to_owned()]);
        let cases = [
            ("connecting with hunter2-very-secret", "connecting with [REDACTED:DB_PASSWORD]"),
            ("home is /home/me", "home is /home/me"),
            ("password=abc123 user=bob", "password=[REDACTED] user=bob"),
            ("API_KEY: xyz-123", "API_KEY: [REDACTED]"),
            ("curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x'", "curl -H 'Authorization: Bearer [REDACTED]'"),
            ("deploy --token s3cr3t now", "deploy --token [REDACTED] now"),
            ("key AKIAABCDEFGHIJKLMNOP", "key [REDACTED]"),
            ("postgres://app:pw@db:5432/x", "postgres://app:[REDACTED]@db:5432/x"),
            ("user=bob region=eu", "user=bob region=eu"),
        ];
        for (input, expected) in cases {
            assert_eq!(r.redact(input), expected, "{input}");
        }
        let named = Redactor::new([("DEPLOY_TARGET", "prod-eu-1")], &["DEPLOY_TARGET".to_owned()]);
        assert_eq!(named.redact("to prod-eu-1"), "to [REDACTED:DEPLOY_TARGET]");
    }
}
