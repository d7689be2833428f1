//! ASP.NET Core's `appsettings.json` (and `appsettings.<Environment>.json`):
//! the addresses a service's configuration points it at, and the port
//! Kestrel listens on.
//!
//! A typed `HttpClient` takes its base address from configuration
//! (`client.BaseAddress = new Uri(config["CatalogUrl"])`), and EF Core or a
//! driver its connection string from `ConnectionStrings`; the file holds
//! the address. Keys that name where a browser is sent back (OAuth
//! redirect and logout URIs, CORS origins) are not calls of the service.

use super::{Port, Target};

/// What one settings file says: the addresses, and the port Kestrel listens on with its line.
pub struct Settings {
    pub targets: Vec<Target>,
    pub port: Option<(Port, u32)>,
}

pub fn parse(text: &str) -> Result<Settings, String> {
    // The file format allows comments (the host reads it with them), JSON does not.
    let value: serde_json::Value = serde_json::from_str(&strip_comments(text)).map_err(|e| e.to_string())?;
    let mut leaves = Vec::new();
    flatten("", &value, &mut leaves);
    let mut targets = Vec::new();
    let mut port = None;
    for (key, value) in leaves {
        let line = line_of_key(text, &key);
        let lower = key.to_ascii_lowercase();
        if ["redirect", "callback", "origin", "cors", "logout"].iter().any(|word| lower.contains(word)) {
            continue;
        }
        if lower.starts_with("connectionstrings.") {
            targets.extend(connection_string_address(value).map(|url| Target { url, line, via: None }));
            continue;
        }
        if lower == "urls" || (lower.starts_with("kestrel.endpoints.") && lower.ends_with(".url")) {
            port = port.or_else(|| listening_port(value).map(|p| (p, line)));
            continue;
        }
        for url in value.split([';', ',', ' ']).filter(|part| part.contains("://")) {
            targets.push(Target { url: url.to_owned(), line, via: None });
        }
    }
    Ok(Settings { targets, port })
}

/// Every string leaf with its key, sections joined by `.` (`Services.Catalog.Url`).
fn flatten<'a>(prefix: &str, value: &'a serde_json::Value, out: &mut Vec<(String, &'a str)>) {
    let join = |key: &str| if prefix.is_empty() { key.to_owned() } else { format!("{prefix}.{key}") };
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                flatten(&join(key), child, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                flatten(&join(&i.to_string()), child, out);
            }
        }
        serde_json::Value::String(text) => out.push((prefix.to_owned(), text)),
        _ => {}
    }
}

/// The line of the key's last section, as written (`"Url":`), else 1.
fn line_of_key(text: &str, key: &str) -> u32 {
    let leaf = key.rsplit('.').find(|section| section.parse::<usize>().is_err()).unwrap_or(key);
    text.find(&format!("\"{leaf}\"")).map_or(1, |offset| super::line_of(text, offset))
}

/// The server of an ADO.NET-style connection string (`Host=db;Port=5432;…`,
/// `Server=sql,1433;…`, `Data Source=…`), a StackExchange.Redis one
/// (`redis:6379,password=…`) or a URL (`mongodb://…`), as `host[:port]`.
fn connection_string_address(value: &str) -> Option<String> {
    if value.contains("://") {
        return Some(value.to_owned());
    }
    let mut host = None;
    let mut port = None;
    for part in value.split(';') {
        let Some((key, setting)) = part.split_once('=') else { continue };
        let setting = setting.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "host" | "server" | "data source" | "datasource" | "address" | "addr" | "hostname" => {
                // SQL Server writes the port after a comma, and may name a protocol (`tcp:db,1433`).
                let setting = setting.strip_prefix("tcp:").unwrap_or(setting);
                let (name, inline_port) = setting.split_once(',').unwrap_or((setting, ""));
                host = Some(name.trim().to_owned());
                if !inline_port.is_empty() {
                    port = Some(inline_port.trim().to_owned());
                }
            }
            "port" => port = Some(setting.to_owned()),
            _ => {}
        }
    }
    if host.is_none() {
        // StackExchange.Redis: endpoints first, then `key=value` options.
        host = value.split(',').next().filter(|first| !first.contains('=')).map(|h| h.trim().to_owned());
    }
    let host = host.filter(|h| !h.is_empty() && !h.contains(['(', ' ', '\\']))?;
    Some(match port {
        Some(port) if !host.contains(':') => format!("{host}:{port}"),
        _ => host,
    })
}

/// The port of `http://+:5000` / `http://*:8080;https://*:8443` (the first one).
fn listening_port(urls: &str) -> Option<Port> {
    let first = urls.split(';').next()?;
    let authority = first.split_once("://").map_or(first, |(_, rest)| rest).split('/').next()?;
    authority.rsplit_once(':')?.1.parse().ok()
}

/// The text with `//` and `/* */` comments outside strings blanked (newlines
/// kept, so lines still count the same).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                out.extend(chars.next());
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut previous = ' ';
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        out.push('\n');
                    }
                    if previous == '*' && skipped == '/' {
                        break;
                    }
                    previous = skipped;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_connection_strings_and_the_listening_port() {
        let text = r#"{
  // comments are allowed in appsettings
  "Logging": { "LogLevel": { "Default": "Information" } },
  "CatalogUrl": "http://catalog-api:8080", /* a typed HttpClient's base address */
  "Identity": { "Authority": "https://identity.example.com", "RedirectUri": "https://web/signin-oidc" },
  "AllowedOrigins": ["http://localhost:3000"],
  "ConnectionStrings": {
    "OrderingDb": "Host=postgres;Port=5432;Database=ordering;Username=app;Password=secret",
    "Legacy": "Server=tcp:sqldata,1433;Initial Catalog=x;User Id=sa;Password=secret",
    "Cache": "redis:6379,abortConnect=false",
    "Events": "amqp://guest:guest@rabbitmq:5672"
  },
  "Kestrel": { "Endpoints": { "Http": { "Url": "http://+:5080" } } }
}"#;
        let Settings { targets, port } = parse(text).unwrap();
        let mut found: Vec<(u32, &str)> = targets.iter().map(|t| (t.line, t.url.as_str())).collect();
        found.sort_unstable();
        assert_eq!(
            found,
            [
                (4, "http://catalog-api:8080"),
                (5, "https://identity.example.com"),
                (8, "postgres:5432"),
                (9, "sqldata:1433"),
                (10, "redis:6379"),
                (11, "amqp://guest:guest@rabbitmq:5672"),
            ]
        );
        assert_eq!(port, Some((5080, 13)));
    }

    #[test]
    fn a_file_that_is_not_json_is_an_error() {
        assert!(parse("{ \"a\": ").is_err());
    }
}
