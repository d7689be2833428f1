//! `pruv compose config [DIR]`

use std::path::Path;

use super::Context;
use super::args::{ComposeCommand, Format};
use super::output::{WARN, emit, emit_json, paint};
use crate::error::{Error, ExitCode, Result};
use crate::scan;
use crate::scan::config::compose::render;

pub fn run(ctx: &Context, command: &ComposeCommand) -> Result<ExitCode> {
    let ComposeCommand::Config { dir, files, show_values } = command;
    let root = ctx.cwd.join(dir.as_deref().unwrap_or(Path::new(".")));
    let files: Vec<String> = files.iter().map(|f| f.trim_start_matches("./").to_owned()).collect();
    let (projects, warnings) = scan::compose_projects(&root, 0, &files)?;
    for warning in &warnings {
        eprintln!("{} {}", paint(WARN, "warning:"), super::output::escape_controls(warning));
    }
    if projects.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{}: no compose file (compose.yaml, docker-compose.yml, …) found; pass the directory that holds one",
            root.display()
        )));
    }
    let rendered: Vec<serde_json::Value> = projects.iter().map(|p| render::project(p, *show_values)).collect();
    match ctx.format {
        Format::Json => emit_json(&serde_json::json!({ "projects": rendered }))?,
        _ => {
            let mut text = String::new();
            for (i, project) in rendered.iter().enumerate() {
                if i > 0 {
                    text.push_str("---\n");
                }
                text.push_str(
                    &render::to_yaml(project).map_err(|e| {
                        Error::InvalidInput(format!("the resolved project does not render as YAML: {e}"))
                    })?,
                );
            }
            emit(&text)?;
        }
    }
    Ok(ExitCode::Ok)
}
