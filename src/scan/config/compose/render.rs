//! A project as `docker compose config` prints it, so a user can compare
//! what pruv understood with what compose runs. Environment values are
//! redacted unless asked for: they may be credentials.

use serde_json::{Map, Value, json};

use super::Project;
use crate::scan::config::ComposeService;

pub const REDACTED: &str = "<redacted>";

/// One project in compose's `config` shape, with pruv's own notes under `x-pruv`.
pub fn project(project: &Project, show_values: bool) -> Value {
    let services: Map<String, Value> =
        project.services.iter().map(|service| (service.name.clone(), self::service(service, show_values))).collect();
    json!({
        "name": project.name,
        "services": services,
        "x-pruv": {
            "directory": if project.dir.is_empty() { "." } else { project.dir.as_str() },
            "files": project.files,
            "warnings": project.warnings,
        },
    })
}

fn service(service: &ComposeService, show_values: bool) -> Value {
    let mut out = Map::new();
    if let Some(context) = &service.build {
        let mut build = Map::new();
        build.insert("context".into(), json!(if context.is_empty() { "." } else { context.as_str() }));
        build.insert("dockerfile".into(), json!(service.dockerfile.as_deref().unwrap_or("Dockerfile")));
        if let Some(target) = &service.target {
            build.insert("target".into(), json!(target));
        }
        out.insert("build".into(), Value::Object(build));
    }
    if let Some(image) = &service.image {
        out.insert("image".into(), json!(image));
    }
    if let Some(command) = &service.command {
        out.insert("command".into(), json!(command));
    }
    if !service.environment.is_empty() {
        let environment: Map<String, Value> = service
            .environment
            .iter()
            .map(|(_, entry)| {
                let value = match &entry.value {
                    Some(value) if show_values => json!(value),
                    Some(_) => json!(REDACTED),
                    None => Value::Null,
                };
                (entry.name.clone(), value)
            })
            .collect();
        out.insert("environment".into(), Value::Object(environment));
    }
    if !service.env_files.is_empty() {
        out.insert("env_file".into(), json!(service.env_files));
    }
    if !service.ports.is_empty() {
        out.insert("ports".into(), service.ports.iter().map(|port| json!({ "target": port })).collect());
    }
    if !service.depends_on.is_empty() {
        let depends: Map<String, Value> = service
            .depends_on
            .iter()
            .map(|(name, _, _)| (name.clone(), json!({ "condition": "service_started" })))
            .collect();
        out.insert("depends_on".into(), Value::Object(depends));
    }
    if !service.profiles.is_empty() {
        out.insert("profiles".into(), json!(service.profiles));
    }
    if !service.hostnames.is_empty() {
        out.insert("x-pruv-names".into(), json!(service.hostnames));
    }
    if !service.unresolved.is_empty() {
        out.insert("x-pruv-unresolved".into(), json!(service.unresolved));
    }
    out.insert("x-pruv-files".into(), json!(service.files));
    Value::Object(out)
}

/// `value` as YAML text (block style, keys in the order given).
pub fn to_yaml(value: &Value) -> Result<String, String> {
    use libyaml_safer::{Emitter, Event, MappingStyle, ScalarStyle, SequenceStyle};
    fn emit(emitter: &mut Emitter<'_>, value: &Value) -> libyaml_safer::Result<()> {
        let scalar = |text: &str, plain: bool| {
            let style = if plain { ScalarStyle::Any } else { ScalarStyle::DoubleQuoted };
            Event::scalar(None, None, text, plain, !plain, style)
        };
        match value {
            Value::Null => emitter.emit(scalar("null", true)),
            Value::Bool(b) => emitter.emit(scalar(&b.to_string(), true)),
            Value::Number(n) => emitter.emit(scalar(&n.to_string(), true)),
            // Strings are quoted when they would read back as something else.
            Value::String(s) => {
                let ambiguous = s.is_empty()
                    || s.parse::<f64>().is_ok()
                    || matches!(
                        s.to_ascii_lowercase().as_str(),
                        "null" | "~" | "true" | "false" | "yes" | "no" | "on" | "off"
                    );
                emitter.emit(scalar(s, !ambiguous))
            }
            Value::Array(items) => {
                emitter.emit(Event::sequence_start(None, None, true, SequenceStyle::Block))?;
                for item in items {
                    emit(emitter, item)?;
                }
                emitter.emit(Event::sequence_end())
            }
            Value::Object(map) => {
                emitter.emit(Event::mapping_start(None, None, true, MappingStyle::Block))?;
                for (key, item) in map {
                    emitter.emit(scalar(key, true))?;
                    emit(emitter, item)?;
                }
                emitter.emit(Event::mapping_end())
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut emitter = Emitter::new();
        emitter.set_output_string(&mut out);
        emitter.set_unicode(true);
        let run = |emitter: &mut Emitter<'_>| -> libyaml_safer::Result<()> {
            emitter.emit(Event::stream_start(libyaml_safer::Encoding::Utf8))?;
            emitter.emit(Event::document_start(None, &[], true))?;
            emit(emitter, value)?;
            emitter.emit(Event::document_end(true))?;
            emitter.emit(Event::stream_end())
        };
        run(&mut emitter).map_err(|e| e.to_string())?;
    }
    String::from_utf8(out).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::config::yaml;

    #[test]
    fn yaml_round_trips_through_the_parser() {
        let value = json!({"name": "p", "services": {"web": {"image": "nginx", "ports": [{"target": 80}], "environment": {"A": "<redacted>", "B": null, "C": "8080", "D": "true"}}}});
        let text = to_yaml(&value).unwrap();
        let back = yaml::parse(&text).unwrap().remove(0);
        let web = back.get("services").unwrap().get("web").unwrap();
        assert_eq!(web.get("image").unwrap().str(), Some("nginx"));
        assert_eq!(web.get("environment").unwrap().get("C").unwrap().str(), Some("8080"));
        assert!(web.get("environment").unwrap().get("B").unwrap().is_null());
        assert!(text.contains("\"8080\""), "numbers in strings stay strings: {text}");
    }
}
