//! Helm charts rendered by `helm template`, when the user's machine has
//! `helm`: the manifests exactly as Helm would install them, each object
//! attributed to the template it came from (`# Source:` lines).
//!
//! Helm runs with an empty environment and a throwaway home, so neither the
//! user's Helm configuration, plugins or repositories nor the scanner's own
//! environment reach the result: the same chart and the same Helm give the
//! same manifests. It runs with the chart's own `values.yaml`, release name
//! `release` and namespace `default`, as the reader without `helm` does.
//! A chart Helm cannot render (a dependency not vendored, a template error)
//! is read without it, with a warning. Output is capped, and so is the time.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::config::helm::RenderedChart;
use super::config::{self, ConfigFacts, KubeObjects, yaml};
use super::paths::{dir_of, is_under};
use super::process::Processed;

/// Whether and with which binary charts are rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum HelmMode {
    /// Charts are read without `helm` (values put into the templates' literal parts).
    #[default]
    Off,
    /// Charts are rendered by this `helm` binary.
    Binary(PathBuf),
}

/// The most a chart's rendered manifests may weigh.
const MAX_OUTPUT: u64 = 32 << 20;
/// How long one chart may take to render.
const TIMEOUT: Duration = Duration::from_secs(60);
/// How much of Helm's error output is kept for the warning.
const MAX_ERROR: u64 = 16 << 10;

/// A chart's directory on disk: in the scanned tree, or written out of a
/// git revision into a temporary directory that lives as long as this.
pub enum ChartDir {
    InTree(PathBuf),
    Written(tempfile::TempDir),
}

impl ChartDir {
    fn path(&self) -> &Path {
        match self {
            ChartDir::InTree(path) => path,
            ChartDir::Written(dir) => dir.path(),
        }
    }
}

/// Finds a chart's directory (its path from the tree's root) on disk.
pub type Locate<'a> = dyn Fn(&str) -> Result<ChartDir, String> + Sync + 'a;

/// Renders every top-level chart of the tree (subcharts render with their
/// parent) when `mode` names a binary, replacing each `Chart.yaml`'s facts
/// with the rendered chart. Returns one warning per chart Helm could not render.
pub fn render_charts(mode: &HelmMode, processed: &mut [Processed], locate: &Locate<'_>) -> Vec<String> {
    let HelmMode::Binary(helm) = mode else { return Vec::new() };
    let charts: Vec<(usize, String, String)> = processed
        .iter()
        .enumerate()
        .filter_map(|(i, file)| match (&file.entry, &file.config) {
            (Some(entry), Some((_, ConfigFacts::HelmChart(name)))) => Some((i, entry.path.clone(), name.clone())),
            _ => None,
        })
        .collect();
    let chart_dirs: Vec<&str> = charts.iter().map(|(_, path, _)| dir_of(path)).collect();
    // A chart under another chart's `charts/` is rendered by that chart.
    let top_level: Vec<&(usize, String, String)> = charts
        .iter()
        .filter(|(_, path, _)| {
            let dir = dir_of(path);
            !chart_dirs.iter().any(|parent| *parent != dir && is_under(dir, &config::join(parent, "charts")))
        })
        .collect();
    let rendered: Vec<(usize, Result<RenderedChart, String>)> = top_level
        .par_iter()
        .map(|(i, path, name)| (*i, locate(dir_of(path)).and_then(|chart| render(helm, &chart, dir_of(path), name))))
        .collect();
    let mut warnings = Vec::new();
    for (i, result) in rendered {
        let file = &mut processed[i];
        match result {
            Ok(mut chart) => {
                // Values are reduced as every file's are when it is read.
                chart.templates.iter_mut().for_each(|(_, objects)| super::redact::kube_objects(objects));
                if let Some((kind, _)) = file.config.take() {
                    file.config = Some((kind, ConfigFacts::HelmRendered(chart)));
                }
            }
            Err(why) => {
                let path = file.entry.as_ref().map_or("", |e| e.path.as_str());
                warnings.push(format!("{path}: helm template failed ({why}); read without helm"));
            }
        }
    }
    warnings
}

/// `helm template` of the chart at `chart`, whose path from the tree's root is `dir`.
fn render(helm: &Path, chart: &ChartDir, dir: &str, name: &str) -> Result<RenderedChart, String> {
    let home = tempfile::tempdir().map_err(|e| format!("no temporary home for helm: {e}"))?;
    let mut command = Command::new(helm);
    command
        .args(["template", "release"])
        .arg(chart.path())
        .args(["--namespace", "default"])
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for variable in ["HOME", "HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME", "HELM_PLUGINS"] {
        command.env(variable, home.path());
    }
    let (status, stdout, stderr) = run_capped(command)?;
    if !status {
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("no error output");
        return Err(first.trim().to_owned());
    }
    Ok(RenderedChart { name: name.to_owned(), templates: split_sources(&stdout, dir) })
}

/// Runs `command` to its end or the timeout; its stdout and stderr, capped.
fn run_capped(mut command: Command) -> Result<(bool, String, String), String> {
    let mut child = command.spawn().map_err(|e| format!("cannot run helm: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    let reading = std::thread::spawn(move || read_capped(stdout, MAX_OUTPUT));
    let erroring = std::thread::spawn(move || read_capped(stderr, MAX_ERROR));
    let started = Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| format!("helm: {e}"))? {
            Some(status) => break status,
            None if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("took longer than {} s", TIMEOUT.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let (stdout, complete) = reading.join().map_err(|_| "helm output reader failed".to_owned())?;
    let (stderr, _) = erroring.join().map_err(|_| "helm error reader failed".to_owned())?;
    if !complete {
        return Err(format!("rendered more than {} MiB", MAX_OUTPUT >> 20));
    }
    Ok((status.success(), stdout, stderr))
}

/// Up to `cap` bytes of `from` (the rest drained so the child never
/// blocks), and whether that was all of it.
fn read_capped(from: impl Read, cap: u64) -> (String, bool) {
    let mut limited = from.take(cap + 1);
    let mut bytes = Vec::new();
    let _ = limited.read_to_end(&mut bytes);
    let complete = bytes.len() as u64 <= cap;
    let _ = std::io::copy(&mut limited.into_inner(), &mut std::io::sink());
    bytes.truncate(cap as usize);
    (String::from_utf8_lossy(&bytes).into_owned(), complete)
}

/// Helm's output split at its `# Source: <chart>/templates/x.yaml` lines,
/// each part's objects under its template's path from the tree's root.
/// Lines count from the part's `# Source:` line, which is close to the
/// template's own lines where the template is literal text.
fn split_sources(output: &str, dir: &str) -> Vec<(String, KubeObjects)> {
    let mut parts: Vec<(String, KubeObjects)> = Vec::new();
    for document in output.split("\n---") {
        let Some(start) = document.find("# Source: ") else { continue };
        let document = &document[start..];
        let source = document.lines().next().and_then(|line| line.strip_prefix("# Source: ")).map(str::trim);
        // The source starts with the chart's name, then its path inside the chart.
        let Some((_, inside)) = source.and_then(|s| s.split_once('/')) else { continue };
        let path = config::join(dir, inside);
        // Each document on its own: one that does not parse costs only itself.
        let Ok(parsed) = yaml::parse(document) else { continue };
        let objects = config::k8s::objects_of(&parsed);
        if objects.is_empty() {
            continue;
        }
        match parts.iter_mut().find(|(p, _)| *p == path) {
            Some((_, known)) => known.extend(objects),
            None => parts.push((path, objects)),
        }
    }
    parts
}
