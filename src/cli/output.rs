//! Writing results: data to stdout, colour only where anstream allows it
//! (a TTY, NO_COLOR unset, or --color always).

use std::io::Write as _;

use anstyle::{AnsiColor, Style};

use crate::error::{Error, Result};

pub const OK: Style = AnsiColor::Green.on_default().bold();
pub const BAD: Style = AnsiColor::Red.on_default().bold();
pub const WARN: Style = AnsiColor::Yellow.on_default();
pub const DIM: Style = Style::new().dimmed();
pub const BOLD: Style = Style::new().bold();

/// `text` wrapped in `style`; anstream strips the codes where colour is off.
pub fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{}{text}{}", style.render(), style.render_reset())
}

/// Writes to stdout. A closed pipe surfaces as an `Io` error of kind
/// `BrokenPipe`, which `run` turns into a quiet success.
pub fn emit(text: &str) -> Result<()> {
    let mut out = anstream::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(|e| Error::io("<stdout>", e))
}

/// Pretty JSON of a serialisable report, newline-terminated.
pub fn emit_json(value: &impl serde::Serialize) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).expect("reports serialise");
    text.push('\n');
    emit(&text)
}

pub use crate::core::hash::short_hash;

/// `text` with control characters (newlines included) written as escapes,
/// so a file name cannot start a new line in a terminal or a CI log.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

/// A copy of `value` with control characters escaped in every string it
/// holds, for renderings that print names and paths taken from files (a
/// file name holding `\n::error::` must not become a CI log command).
/// JSON output needs no such copy: JSON escapes them itself.
pub fn escaped<T: serde::Serialize + serde::de::DeserializeOwned + Clone>(value: &T) -> T {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) if text.chars().any(char::is_control) => *text = escape_controls(text),
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::Object(map) => map.values_mut().for_each(walk),
            _ => {}
        }
    }
    match serde_json::to_value(value) {
        Ok(mut json) => {
            walk(&mut json);
            serde_json::from_value(json).unwrap_or_else(|_| value.clone())
        }
        Err(_) => value.clone(),
    }
}

/// `1 entry`, `2 entries`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Pads `text` to `width` columns (by chars; hashes and labels here are narrow).
pub fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len >= width { text.to_owned() } else { format!("{text}{}", " ".repeat(width - len)) }
}

/// A path as the user would type it: relative to `cwd` when under it.
pub fn relative_path(cwd: &std::path::Path, path: &std::path::Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}
