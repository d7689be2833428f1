//! Dockerfiles: build stages with their base image, EXPOSE and COPY/ADD
//! sources, and ENV (with line continuations).

use super::build_commands::{self, BuildTarget};
use super::{Dockerfile, EnvEntry, Envsubst, Stage};

/// Where a stage stands in its container: its working directory and where
/// it copied the whole build context, as paths without the leading `/`.
#[derive(Clone, Default)]
struct Place {
    workdir: String,
    context_at: Option<String>,
}

pub fn parse(text: &str) -> Dockerfile {
    let mut file = Dockerfile::default();
    let mut places: Vec<Place> = Vec::new();
    for (line, instruction) in logical_lines(text) {
        let mut words = instruction.splitn(2, char::is_whitespace);
        let keyword = words.next().unwrap_or("").to_ascii_uppercase();
        let rest = words.next().unwrap_or("").trim();
        if keyword != "FROM" && file.stages.is_empty() {
            // `ARG` before the first `FROM` and parser directives belong to no stage.
            if keyword == "ENV" {
                file.env.extend(env_pairs(rest).into_iter().map(|(name, value)| EnvEntry {
                    name,
                    line,
                    value,
                    default: false,
                }));
            }
            continue;
        }
        match keyword.as_str() {
            "FROM" => {
                let mut words = rest.split_whitespace().filter(|w| !w.starts_with("--"));
                let image = words.next().unwrap_or("").to_owned();
                let name = match (words.next(), words.next()) {
                    (Some(as_), Some(name)) if as_.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
                    _ => None,
                };
                // A stage built on an earlier one starts where that one stood.
                let base = file.stages.iter().rposition(|s| s.name.as_deref() == Some(&image.to_ascii_lowercase()));
                places.push(base.map(|b| places[b].clone()).unwrap_or_default());
                file.stages.push(Stage {
                    name,
                    from: image,
                    line,
                    expose: Vec::new(),
                    copies: Vec::new(),
                    cmd: None,
                    copies_from: Vec::new(),
                    builds: Vec::new(),
                });
            }
            "WORKDIR" => {
                let place = places.last_mut().expect("a FROM came first");
                place.workdir = super::join(&place.workdir, rest.trim_matches('"'));
            }
            "RUN" if !rest.contains("envsubst") => {
                let place = places.last().expect("a FROM came first");
                let stage = file.stages.last_mut().expect("a FROM came first");
                stage.builds.extend(run_builds(rest, place));
            }
            "EXPOSE" => {
                let stage = file.stages.last_mut().expect("a FROM came first");
                for spec in rest.split_whitespace() {
                    if let Ok(port) = spec.split('/').next().unwrap_or(spec).parse() {
                        stage.expose.push((port, line));
                    }
                }
            }
            "COPY" | "ADD" => {
                // `COPY --from=build …` takes another stage's output, not the context's files.
                if rest.split_whitespace().any(|w| w.starts_with("--from")) {
                    if let Some(from) = rest.split_whitespace().find_map(|w| w.strip_prefix("--from=")) {
                        let stage = file.stages.last_mut().expect("a FROM came first");
                        stage.copies_from.push(from.to_ascii_lowercase());
                    }
                    continue;
                }
                let stage = file.stages.last_mut().expect("a FROM came first");
                let sources = copy_sources(rest);
                if !sources.is_empty() && sources.iter().all(|s| s.is_empty() || s == ".") {
                    let place = places.last_mut().expect("a FROM came first");
                    let destination = copy_destination(rest);
                    place.context_at = Some(super::join(&place.workdir, destination.as_deref().unwrap_or(".")));
                }
                // The nginx image renders `/etc/nginx/templates/*.template` at start.
                if rest
                    .split_whitespace()
                    .last()
                    .is_some_and(|dest| dest.trim_matches(['"', ']']).starts_with("/etc/nginx/templates"))
                {
                    for source in sources.iter().filter(|s| s.ends_with(".template")) {
                        let template = source.rsplit('/').next().map(str::to_owned);
                        file.envsubst.push(Envsubst { line, names: Vec::new(), template });
                    }
                }
                stage.copies.extend(sources);
            }
            "CMD" if !rest.contains("envsubst") => {
                let stage = file.stages.last_mut().expect("a FROM came first");
                stage.cmd = Some(command_words(rest));
            }
            "RUN" | "CMD" | "ENTRYPOINT" if rest.contains("envsubst") => {
                file.envsubst.extend(envsubst_calls(rest, line));
                if keyword == "RUN" {
                    let place = places.last().expect("a FROM came first");
                    file.stages.last_mut().expect("a FROM came first").builds.extend(run_builds(rest, place));
                }
            }
            "ENV" => file.env.extend(env_pairs(rest).into_iter().map(|(name, value)| EnvEntry {
                name,
                line,
                value,
                default: false,
            })),
            _ => {}
        }
    }
    file
}

/// What a `RUN` compiles, as paths from the build context's root (where
/// the stage copied the whole context, the working directory's place in
/// it) or package names. A path outside the copied context names nothing here.
fn run_builds(rest: &str, place: &Place) -> Vec<BuildTarget> {
    // `RUN --mount=type=cache,target=… go build …`: the instruction's own flags first.
    let mut command = rest.trim_start();
    while command.starts_with("--") {
        command = command.split_once(char::is_whitespace).map_or("", |(_, after)| after.trim_start());
    }
    build_commands::targets(&command_words(command))
        .into_iter()
        .filter_map(|target| match target {
            BuildTarget::Path(path) => {
                let context = place.context_at.as_deref()?;
                let inside = super::join(&place.workdir, &path);
                let relative = if context.is_empty() {
                    inside
                } else if inside == context {
                    String::new()
                } else {
                    inside.strip_prefix(context)?.strip_prefix('/')?.to_owned()
                };
                Some(BuildTarget::Path(relative))
            }
            package => Some(package),
        })
        .collect()
}

/// The destination of a `COPY`/`ADD` (its last word, or the JSON form's last item).
fn copy_destination(rest: &str) -> Option<String> {
    copy_words(rest.trim()).pop().map(|w| w.trim_matches('"').to_owned())
}

/// A `CMD`'s words joined by spaces: `["uwsgi", "/code/etc/uwsgi.ini"]` and
/// `uwsgi /code/etc/uwsgi.ini` alike.
fn command_words(rest: &str) -> String {
    let rest = rest.trim();
    match serde_json::from_str::<Vec<String>>(rest) {
        Ok(words) => words.join(" "),
        Err(_) => rest.to_owned(),
    }
}

/// Each `envsubst ['$A $B'] < template` of a shell command (also inside a JSON-form `sh -c`).
fn envsubst_calls(command: &str, line: u32) -> Vec<Envsubst> {
    let command = command.replace("\\\"", "\"");
    command
        .split("envsubst")
        .skip(1)
        .map(|call| {
            let call = call.split(['&', '|', ';']).next().unwrap_or(call);
            // The SHELL-FORMAT argument: the only variables it replaces.
            let format = call.trim_start().strip_prefix(['\'', '"']).and_then(|rest| rest.split(['\'', '"']).next());
            let names = format
                .map(|f| {
                    f.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .filter(|n| crate::scan::extract::is_env_name(n) && !n.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let template = call.split_once('<').map(|(_, rest)| {
                let path = rest.split_whitespace().next().unwrap_or("").trim_matches(['"', '\'']);
                path.rsplit('/').next().unwrap_or(path).to_owned()
            });
            Envsubst { line, names, template: template.filter(|t| !t.is_empty()) }
        })
        .collect()
}

/// The context paths of `COPY [--chown=…] SRC… DEST` or its JSON form.
fn copy_sources(rest: &str) -> Vec<String> {
    let words = copy_words(rest);
    let Some((_, sources)) = words.split_last() else { return Vec::new() };
    sources
        .iter()
        .filter(|s| !s.contains("://") && !s.starts_with('$') && !s.starts_with("<<"))
        .map(|s| s.trim_start_matches("./").trim_end_matches('/').to_owned())
        .collect()
}

/// The sources and destination of `COPY [--chown=…] SRC… DEST` or its JSON form, flags left out.
fn copy_words(rest: &str) -> Vec<String> {
    if rest.starts_with('[') {
        rest.trim_matches(['[', ']']).split(',').map(|w| w.trim().trim_matches('"').to_owned()).collect()
    } else {
        rest.split_whitespace().filter(|w| !w.starts_with("--")).map(str::to_owned).collect()
    }
}

/// Instructions joined across `\` continuations, with their first line.
fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut current: Option<(u32, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if current.is_none() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        let (continues, body) = match trimmed.strip_suffix('\\') {
            Some(body) => (true, body),
            None => (false, trimmed),
        };
        let entry = current.get_or_insert_with(|| (i as u32 + 1, String::new()));
        if !body.starts_with('#') {
            entry.1.push_str(body);
            entry.1.push(' ');
        }
        if !continues {
            out.push(current.take().expect("set above"));
        }
    }
    out.extend(current);
    out
}

/// `ENV A=1 B="x y"` or the legacy `ENV A value with spaces`.
fn env_pairs(rest: &str) -> Vec<(String, Option<String>)> {
    if !rest.split_whitespace().next().unwrap_or("").contains('=') {
        let mut parts = rest.splitn(2, char::is_whitespace);
        let name = parts.next().unwrap_or("").to_owned();
        let value = parts.next().map(|v| v.trim().to_owned());
        return vec![(name, value)];
    }
    let mut pairs = Vec::new();
    let mut chars = rest.chars().peekable();
    while chars.peek().is_some() {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let name: String = chars.by_ref().take_while(|c| *c != '=').collect();
        let mut value = String::new();
        let quote = chars.peek().copied().filter(|c| *c == '"' || *c == '\'');
        if let Some(q) = quote {
            chars.next();
            value.extend(chars.by_ref().take_while(|c| *c != q));
        } else {
            value.extend(chars.by_ref().take_while(|c| !c.is_whitespace()));
        }
        if !name.is_empty() {
            pairs.push((name.trim().to_owned(), Some(value)));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::BuildTarget::{Package, Path};

    #[test]
    fn builds_are_paths_from_the_copied_context() {
        let stages = |text: &str| super::parse(text).stages.into_iter().map(|s| s.builds).collect::<Vec<_>>();
        assert_eq!(
            stages(
                "FROM golang AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out ./cmd/api\nFROM build AS again\nWORKDIR services/x\nRUN go build\n"
            ),
            [vec![Path("cmd/api".into())], vec![Path("services/x".into())]],
            "a stage built on another starts in its working directory"
        );
        assert_eq!(
            stages(
                "FROM rust\nCOPY . /app\nWORKDIR /app\nRUN [\"cargo\", \"build\", \"--bin\", \"api\"]\nRUN cd /app && go build -o x ./cmd/tool\n"
            ),
            [vec![Package("api".into()), Path("cmd/tool".into())]]
        );
        assert_eq!(
            stages("FROM golang\nCOPY go.mod main.go /src/\nWORKDIR /src\nRUN go build ./cmd/api\n"),
            [vec![]],
            "without the whole context copied, a path names nothing here"
        );
    }

    #[test]
    fn reads_instructions() {
        let file = super::parse(
            "FROM --platform=linux/amd64 python:3.12 AS base\n# EXPOSE 1\nENV PORT=8000 \\\n    NAME=\"a b\"\nENV LEGACY some value\nEXPOSE 8000 9000/udp\n",
        );
        assert_eq!(file.stages[0].from, "python:3.12");
        assert_eq!(file.stages[0].name.as_deref(), Some("base"));
        assert_eq!(file.exposed(None), [8000, 9000]);
        let env: Vec<_> = file.env.iter().map(|e| (e.name.as_str(), e.line, e.value.as_deref())).collect();
        assert_eq!(env, [("PORT", 3, Some("8000")), ("NAME", 3, Some("a b")), ("LEGACY", 5, Some("some value"))]);
    }

    #[test]
    fn only_the_final_or_target_stage_exposes() {
        let text = "FROM golang:1.22 AS build\nCOPY go.mod go.sum ./\nCOPY ./cmd/api/ /src/\nRUN go build\nFROM build AS debug\nEXPOSE 2345\nFROM alpine AS runtime\nCOPY --from=build /out/app /app\nEXPOSE 8080\n";
        let file = super::parse(text);
        assert_eq!(file.exposed(None), [8080], "a debug stage's port does not leak into the final image");
        assert_eq!(file.exposed(Some("debug")), [2345]);
        assert_eq!(file.final_from(None), Some("alpine"));
        assert_eq!(file.copies(), ["go.mod", "go.sum", "cmd/api"]);
    }

    #[test]
    fn only_the_images_stages_set_its_runtime_env() {
        let file = super::parse(
            "FROM golang:1.22 AS build\nENV CGO_ENABLED=0\nRUN go build\nFROM alpine AS base\nENV TZ=UTC\nFROM base\nENV PORT=8080\n",
        );
        let names: Vec<_> = file.runtime_env(None).iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["TZ", "PORT"], "a builder stage's ENV stays in the build");
        let build: Vec<_> = file.runtime_env(Some("build")).iter().map(|e| e.name.as_str()).collect();
        assert_eq!(build, ["CGO_ENABLED"]);
    }

    #[test]
    fn a_stage_inherits_what_its_base_stage_exposes() {
        let file =
            super::parse("FROM node:20 AS base\nEXPOSE 3000\nFROM base\nCOPY [\"package.json\", \"src\", \"/app/\"]\n");
        assert_eq!(file.exposed(None), [3000]);
        assert_eq!(file.copies(), ["package.json", "src"]);
    }

    #[test]
    fn envsubst_templates_and_their_variables() {
        let file = super::parse(
            "FROM nginx:1.27\nCOPY default.conf.template /etc/nginx/templates/\nCMD [\"/bin/sh\", \"-c\", \"envsubst '$API_HOST $API_PORT' < /nginx.conf.template > /etc/nginx/nginx.conf && exec nginx\"]\nENTRYPOINT envsubst < envoy.tmpl.yaml > envoy.yaml && envoy -c envoy.yaml\n",
        );
        let found: Vec<_> = file.envsubst.iter().map(|e| (e.line, e.names.clone(), e.template.clone())).collect();
        assert_eq!(
            found,
            [
                (2, vec![], Some("default.conf.template".to_owned())),
                (3, vec!["API_HOST".to_owned(), "API_PORT".to_owned()], Some("nginx.conf.template".to_owned())),
                (4, vec![], Some("envoy.tmpl.yaml".to_owned())),
            ]
        );
    }
}
