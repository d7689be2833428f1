//! Package manifests (the dependencies that name frameworks and external
//! systems) and Spring configuration files.

use std::collections::BTreeSet;

use super::yaml::{self, Node, Yaml};
use super::{Dependency, EnvEntry, Manifest, Port, Target, line_of};

fn manifest(ecosystem: &'static str) -> Manifest {
    Manifest {
        ecosystem,
        name: None,
        dependencies: Vec::new(),
        start: None,
        runs_app: false,
        web_sdk: false,
        not_a_service: false,
        tasks: Vec::new(),
    }
}

/// The line where `needle` first occurs, else 1.
fn line_of_text(text: &str, needle: &str) -> u32 {
    text.find(needle).map_or(1, |offset| line_of(text, offset))
}

pub fn package_json(text: &str) -> Result<Manifest, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut m = manifest("npm");
    m.name = value.get("name").and_then(|n| n.as_str()).map(str::to_owned);
    m.start = value.pointer("/scripts/start").and_then(|s| s.as_str()).map(str::to_owned);
    m.runs_app = ["start", "dev", "serve", "preview"]
        .iter()
        .any(|script| value.pointer(&format!("/scripts/{script}")).is_some());
    // devDependencies are build and test tooling, not what the service runs on.
    if let Some(deps) = value.get("dependencies").and_then(|d| d.as_object()) {
        // A React Native / Expo app runs on phones, not as a service.
        m.not_a_service = deps.contains_key("react-native") || deps.contains_key("expo");
        for name in deps.keys() {
            m.dependencies.push(Dependency { name: name.clone(), line: line_of_text(text, &format!("\"{name}\"")) });
        }
    }
    Ok(m)
}

pub fn pyproject(text: &str) -> Result<Manifest, String> {
    let value: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut m = manifest("pypi");
    let project = value.get("project");
    let poetry = value.get("tool").and_then(|t| t.get("poetry"));
    m.name = project.or(poetry).and_then(|p| p.get("name")).and_then(|n| n.as_str()).map(str::to_owned);
    let mut names: Vec<String> = project
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_array())
        .map(|deps| deps.iter().filter_map(|d| d.as_str()).map(requirement_name).collect())
        .unwrap_or_default();
    if let Some(deps) = poetry.and_then(|p| p.get("dependencies")).and_then(|d| d.as_table()) {
        names.extend(deps.keys().filter(|k| *k != "python").cloned());
    }
    for name in names.into_iter().filter(|n| !n.is_empty()) {
        let line = line_of_text(text, &name);
        m.dependencies.push(Dependency { name, line });
    }
    m.tasks = poe_tasks(&value, text);
    Ok(m)
}

/// The tasks of poethepoet (`[tool.poe.tasks]`) that run one command line:
/// `name = "cmd"`, `name.cmd = "cmd"`, `name = { cmd = "cmd" }` or a `shell`
/// task. Sequences and script tasks (a Python function) start no process of their own.
fn poe_tasks(value: &toml::Table, text: &str) -> Vec<super::Process> {
    let Some(tasks) = value.get("tool").and_then(|t| t.get("poe")).and_then(|p| p.get("tasks")) else {
        return Vec::new();
    };
    let Some(tasks) = tasks.as_table() else { return Vec::new() };
    tasks
        .iter()
        .filter_map(|(name, task)| {
            let command = match task {
                toml::Value::String(command) => command,
                toml::Value::Table(fields) => fields.get("cmd").or(fields.get("shell"))?.as_str()?,
                _ => return None,
            };
            let line = line_of_text(text, command);
            Some(super::Process { name: name.clone(), command: command.to_owned(), line, env: Vec::new() })
        })
        .collect()
}

/// The distribution name of a PEP 508 requirement (`fastapi[all]>=0.1` → `fastapi`).
fn requirement_name(spec: &str) -> String {
    let end =
        spec.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')).unwrap_or(spec.len());
    spec[..end].to_ascii_lowercase()
}

pub fn requirements(text: &str) -> Manifest {
    let mut m = manifest("pypi");
    // pip-compile output lists every transitive package, each followed by
    // `# via …`; only those `# via -r requirements.in` were asked for.
    let compiled = text.contains("# via");
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('-') {
            continue;
        }
        if compiled && !direct_in_compiled(&lines[i + 1..]) {
            continue;
        }
        let name = requirement_name(line);
        if !name.is_empty() {
            m.dependencies.push(Dependency { name, line: i as u32 + 1 });
        }
    }
    m
}

/// Whether the `# via` block after a pinned requirement names a `-r` file.
fn direct_in_compiled(following: &[&str]) -> bool {
    following
        .iter()
        .map(|l| l.trim())
        .skip_while(|l| l.starts_with("--hash") || l.ends_with('\\'))
        .take_while(|l| l.starts_with('#'))
        .any(|l| l.contains("-r ") || l.contains("-c "))
}

pub fn go_mod(text: &str) -> Manifest {
    let mut m = manifest("go");
    let mut in_block = false;
    for (i, line) in text.lines().enumerate() {
        let (line, comment) = line.split_once("//").unwrap_or((line, ""));
        let line = line.trim();
        // `// indirect`: a module only its dependencies import, never this code.
        let indirect = comment.trim() == "indirect" || comment.trim_start().starts_with("indirect;");
        if let Some(module) = line.strip_prefix("module ") {
            m.name = Some(module.trim().to_owned());
        } else if line.starts_with("require (") {
            in_block = true;
        } else if in_block && line == ")" {
            in_block = false;
        } else if let Some(path) = line.strip_prefix("require ").or(in_block.then_some(line))
            && let Some(path) = path.split_whitespace().next().filter(|p| !p.is_empty())
            && !indirect
        {
            m.dependencies.push(Dependency { name: path.to_owned(), line: i as u32 + 1 });
        }
    }
    m
}

pub fn pom(text: &str) -> Result<Manifest, String> {
    use quick_xml::events::Event;
    let mut m = manifest("maven");
    let mut reader = quick_xml::Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let (mut group, mut artifact, mut scope) = (String::new(), String::new(), String::new());
    loop {
        let position = reader.buffer_position() as usize;
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(tag) => path.push(tag.local_name().as_ref().to_owned()),
            Event::End(_) => {
                if path.last().map(String::as_str) == Some("dependency")
                    || path.last().map(String::as_str) == Some("parent")
                {
                    // What the program runs with: not a test-scoped library, a
                    // version pinned for modules that may not use it
                    // (`dependencyManagement`), nor a build plugin's own dependency.
                    let used = scope != "test" && !path.iter().any(|p| p == "dependencyManagement" || p == "plugin");
                    if !artifact.is_empty() && used {
                        let line = line_of(text, position);
                        m.dependencies.push(Dependency { name: format!("{group}:{artifact}"), line });
                    }
                    group.clear();
                    artifact.clear();
                    scope.clear();
                }
                path.pop();
            }
            Event::Text(content) => {
                let value = content.xml_content(quick_xml::XmlVersion::Implicit1_0).trim().to_owned();
                let depth = path.len();
                let parent = depth.checked_sub(2).and_then(|i| path.get(i)).map(String::as_str);
                match (path.last().map(String::as_str), parent) {
                    (Some("groupId"), Some("dependency" | "parent")) => group = value,
                    (Some("artifactId"), Some("dependency" | "parent")) => artifact = value,
                    (Some("scope"), Some("dependency")) => scope = value,
                    (Some("artifactId"), Some("project")) if depth == 2 => m.name = Some(value),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(m)
}

/// Gradle build scripts are programs: `build.gradle.kts` is Kotlin and is
/// read by the Kotlin grammar; `build.gradle` is Groovy, for which the scanner
/// has no grammar, and is read line by line. Either way dependencies are the
/// quoted `group:artifact[:version]` coordinates, plugin ids and version-catalog
/// accessors outside test configurations.
pub fn gradle(path: &str, text: &str) -> Manifest {
    if path.ends_with(".kts")
        && let Some(tree) = crate::scan::extract::parse(&crate::scan::lang::KOTLIN, text)
    {
        let mut m = manifest("gradle");
        kotlin_script(tree.root_node(), text.as_bytes(), false, &mut m);
        return m;
    }
    groovy_script(text)
}

/// Test configurations (`testImplementation`, `androidTestImplementation`,
/// `integrationTestRuntimeOnly`) hold test tooling, not what the program runs with.
fn is_test_configuration(name: &str) -> bool {
    name.starts_with("test") || name.contains("Test")
}

/// `group:artifact[:version[:classifier]]` → `group:artifact`.
fn coordinates(quoted: &str) -> Option<String> {
    let parts: Vec<&str> = quoted.split(':').collect();
    ((2..=4).contains(&parts.len()) && parts[..2].iter().all(|p| !p.is_empty() && !p.contains(' ')))
        .then(|| format!("{}:{}", parts[0], parts[1]))
}

/// A Kotlin build script's dependencies under `node`; `tooling` inside a test
/// configuration's call. Strings with `${…}` templates are not coordinates
/// anyone can read without running Gradle, so they are left out.
fn kotlin_script(node: tree_sitter::Node<'_>, source: &[u8], tooling: bool, m: &mut Manifest) {
    let text = |n: tree_sitter::Node<'_>| n.utf8_text(source).unwrap_or("");
    let line = |n: tree_sitter::Node<'_>| n.start_position().row as u32 + 1;
    let mut tooling = tooling;
    match node.kind() {
        "call_expression" => {
            // `testImplementation(…)`, or the same configuration named by a string:
            // `"testImplementation"(…)`, `add("testImplementation", …)`.
            let callee = node
                .named_child(0)
                .filter(|c| matches!(c.kind(), "identifier" | "string_literal"))
                .map(|c| text(c).trim_matches('"'))
                .unwrap_or("");
            let arguments = node.named_child(1).filter(|a| a.kind() == "value_arguments");
            let mut cursor = node.walk();
            let arguments: Vec<tree_sitter::Node<'_>> =
                arguments.map(|a| a.named_children(&mut cursor).collect()).unwrap_or_default();
            let literal = |argument: &tree_sitter::Node<'_>| {
                let value = argument.named_child(argument.named_child_count().saturating_sub(1) as _)?;
                let plain = value.named_children(&mut value.walk()).all(|c| c.kind() == "string_content");
                (value.kind() == "string_literal" && plain).then(|| text(value).trim_matches('"'))
            };
            let named = |key: &str| {
                arguments
                    .iter()
                    .find(|a| a.named_child_count() == 2 && a.named_child(0).map(text) == Some(key))
                    .and_then(literal)
            };
            let configuration =
                if callee == "add" { arguments.first().and_then(literal).unwrap_or("") } else { callee };
            tooling |= is_test_configuration(configuration);
            if !tooling {
                match callee {
                    // plugins { id("org.springframework.boot") }
                    "id" => {
                        if let Some(id) = arguments.first().and_then(literal) {
                            m.dependencies.push(Dependency { name: id.to_owned(), line: line(node) });
                        }
                    }
                    // implementation(group = "org.postgresql", name = "postgresql")
                    _ => {
                        if let (Some(group), Some(name)) = (named("group"), named("name")) {
                            m.dependencies.push(Dependency { name: format!("{group}:{name}"), line: line(node) });
                        }
                    }
                }
            }
        }
        "string_literal" if !tooling => {
            let templated = node.named_children(&mut node.walk()).any(|c| c.kind() != "string_content");
            if let Some(name) = coordinates(text(node).trim_matches('"')).filter(|_| !templated) {
                m.dependencies.push(Dependency { name, line: line(node) });
            }
            return;
        }
        // Version-catalog accessors (`libs.ktor.server.netty`, `alias(libs.plugins.ktor)`):
        // kept as `libs.…` until the catalog resolves them (`resolve_catalog`).
        // `libs.versions.java.get()` is a version, not a dependency.
        "navigation_expression" => {
            let accessor: String = text(node).split_whitespace().collect();
            if accessor.starts_with("libs.") {
                if !tooling && !accessor.starts_with("libs.versions.") && !accessor.ends_with(".get") {
                    m.dependencies.push(Dependency { name: accessor, line: line(node) });
                }
                return;
            }
        }
        _ => {}
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        kotlin_script(child, source, tooling, m);
    }
}

/// A Groovy build script, line by line: quoted coordinates, `id 'plugin'`
/// and `libs.` accessors on lines that are not comments or test configurations.
fn groovy_script(text: &str) -> Manifest {
    let mut m = manifest("gradle");
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        let configuration: &str = trimmed.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
        if trimmed.starts_with("//") || is_test_configuration(configuration) {
            continue;
        }
        for quoted in trimmed.split(['"', '\'']).skip(1).step_by(2) {
            if let Some(name) = coordinates(quoted) {
                m.dependencies.push(Dependency { name, line: i as u32 + 1 });
            }
        }
        if let Some(id) = trimmed.strip_prefix("id(\"").or_else(|| trimmed.strip_prefix("id '")) {
            let plugin = id.split(['"', '\'']).next().unwrap_or("");
            m.dependencies.push(Dependency { name: plugin.to_owned(), line: i as u32 + 1 });
        }
        // Version-catalog accessors (`libs.ktor.server.netty`, `alias(libs.plugins.ktor)`):
        // kept as `libs.…` until the catalog resolves them (`resolve_catalog`).
        for (at, _) in trimmed.match_indices("libs.") {
            if at > 0 && trimmed.as_bytes()[at - 1].is_ascii_alphanumeric() {
                continue;
            }
            let accessor: String = trimmed[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                .collect();
            let accessor = accessor.trim_end_matches('.');
            if accessor.len() > "libs.".len() && !accessor.ends_with(".get") {
                m.dependencies.push(Dependency { name: accessor.to_owned(), line: i as u32 + 1 });
            }
        }
    }
    m
}

/// A .NET project: its name is the file's (`Ordering.API.csproj`); package
/// and project references are its dependencies.
pub fn csproj(path: &str, text: &str) -> Result<Manifest, String> {
    use quick_xml::events::Event;
    let mut m = manifest("nuget");
    m.name = Some(project_stem(path).to_owned());
    let mut element: Option<String> = None;
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        let position = reader.buffer_position() as usize;
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(tag) | Event::Empty(tag) => {
                let name = tag.local_name();
                element = Some(name.as_ref().to_owned());
                let attribute =
                    |key: &str| tag.attributes().flatten().find(|a| a.key.as_ref() == key).map(|a| a.value.to_string());
                match name.as_ref() {
                    "Project" => {
                        let sdk = attribute("Sdk").unwrap_or_default();
                        m.web_sdk = sdk.contains(".Web");
                        m.not_a_service |= sdk.starts_with("Aspire.AppHost.Sdk");
                    }
                    "PackageReference" => {
                        if let Some(include) = attribute("Include") {
                            m.dependencies.push(Dependency { name: include, line: line_of(text, position) });
                        }
                    }
                    "ProjectReference" => {
                        if let Some(include) = attribute("Include") {
                            let name = project_stem(&include.replace('\\', "/")).to_owned();
                            m.dependencies.push(Dependency { name, line: line_of(text, position) });
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(content) => {
                // <UseMaui>true</UseMaui>, <IsAspireHost>true</IsAspireHost>
                let value = content.xml_content(quick_xml::XmlVersion::Implicit1_0);
                if value.trim() == "true" && matches!(element.as_deref(), Some("UseMaui" | "IsAspireHost")) {
                    m.not_a_service = true;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(m)
}

/// `src/Ordering.API/Ordering.API.csproj` → `Ordering.API`.
fn project_stem(path: &str) -> &str {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.strip_suffix(".csproj").unwrap_or(file)
}

pub fn cargo_toml(text: &str) -> Result<Manifest, String> {
    let value: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut m = manifest("cargo");
    m.name = value.get("package").and_then(|p| p.get("name")).and_then(|n| n.as_str()).map(str::to_owned);
    if let Some(deps) = value.get("dependencies").and_then(|d| d.as_table()) {
        for (name, spec) in deps {
            let line = line_of_text(text, &format!("\n{name}")) + 1;
            m.dependencies.push(Dependency { name: name.clone(), line });
            // Features choose backends (`sqlx = { features = ["postgres"] }`): each is `crate/feature`.
            let features = spec.get("features").and_then(|f| f.as_array()).into_iter().flatten();
            for feature in features.filter_map(|f| f.as_str()) {
                m.dependencies.push(Dependency { name: format!("{name}/{feature}"), line });
            }
        }
    }
    Ok(m)
}

pub fn gemfile(text: &str) -> Manifest {
    let mut m = manifest("gem");
    // Ruby, read by tree-sitter: `gem` calls however they are spelled
    // (parentheses, `%w`-free options, several per line), and the groups they sit in.
    if let Some(tree) = crate::scan::extract::parse(&crate::scan::lang::RUBY, text) {
        gem_calls(tree.root_node(), text.as_bytes(), false, &mut m);
    }
    m
}

/// Bundler groups that only a developer's machine or CI installs.
const TOOLING_GROUPS: [&str; 2] = ["development", "test"];

/// The `gem` calls under `node`; `tooling` when inside a `group :development, :test do` block.
fn gem_calls(node: tree_sitter::Node<'_>, source: &[u8], tooling: bool, m: &mut Manifest) {
    let text = |n: tree_sitter::Node<'_>| n.utf8_text(source).unwrap_or("");
    let mut inside_tooling = tooling;
    if node.kind() == "call" && node.child_by_field_name("receiver").is_none() {
        let method = node.child_by_field_name("method").map(text).unwrap_or("");
        let arguments = node.child_by_field_name("arguments");
        let mut cursor = node.walk();
        let args: Vec<tree_sitter::Node<'_>> =
            arguments.map(|a| a.named_children(&mut cursor).collect()).unwrap_or_default();
        // Only development/test groups named: what the block holds is tooling.
        let only_tooling = |groups: &[&str]| !groups.is_empty() && groups.iter().all(|g| TOOLING_GROUPS.contains(g));
        match method {
            "group" => {
                let groups: Vec<&str> = args.iter().map(|a| text(*a).trim_start_matches(':')).collect();
                inside_tooling |= only_tooling(&groups);
            }
            "gem" => {
                let name = args.first().filter(|a| a.kind() == "string").map(|a| text(*a).trim_matches(['"', '\'']));
                // `gem "rspec", group: :test` / `groups: [:development, :test]`.
                let option_groups: Vec<&str> = args
                    .iter()
                    .filter(|a| a.kind() == "pair")
                    .filter(|pair| {
                        pair.child_by_field_name("key").map(text).is_some_and(|k| {
                            matches!(k.trim_end_matches(':'), "group" | "groups" | ":group" | ":groups")
                        })
                    })
                    .filter_map(|pair| pair.child_by_field_name("value"))
                    .flat_map(|value| {
                        text(value)
                            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                            .filter(|w| !w.is_empty())
                            .collect::<Vec<_>>()
                    })
                    .collect();
                if let Some(name) = name.filter(|n| !n.is_empty())
                    && !tooling
                    && !only_tooling(&option_groups)
                {
                    m.dependencies
                        .push(Dependency { name: name.to_owned(), line: node.start_position().row as u32 + 1 });
                }
            }
            _ => {}
        }
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        gem_calls(child, source, inside_tooling, m);
    }
}

/// A Gradle version catalog (`gradle/libs.versions.toml`): each library and
/// plugin alias with the coordinates or plugin id it stands for. Aliases are
/// kept as Gradle's accessors spell them: `-`, `_` and `.` all become `.`,
/// libraries under `libs.`, plugins under `libs.plugins.`.
pub fn version_catalog(text: &str) -> Result<Vec<(String, String)>, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.message().to_owned())?;
    let accessor = |prefix: &str, alias: &str| format!("{prefix}{}", alias.replace(['-', '_'], "."));
    let mut out = Vec::new();
    for (alias, entry) in table.get("libraries").and_then(|l| l.as_table()).into_iter().flatten() {
        let module = match entry {
            toml::Value::String(text) => {
                text.rsplitn(2, ':').last().filter(|_| text.matches(':').count() == 2).map(str::to_owned)
            }
            toml::Value::Table(t) => t
                .get("module")
                .and_then(|m| m.as_str())
                .map(str::to_owned)
                .or_else(|| Some(format!("{}:{}", t.get("group")?.as_str()?, t.get("name")?.as_str()?))),
            _ => None,
        };
        if let Some(module) = module {
            out.push((accessor("libs.", alias), module));
        }
    }
    for (alias, entry) in table.get("plugins").and_then(|l| l.as_table()).into_iter().flatten() {
        let id = match entry {
            toml::Value::String(text) => text.split(':').next().map(str::to_owned),
            toml::Value::Table(t) => t.get("id").and_then(|m| m.as_str()).map(str::to_owned),
            _ => None,
        };
        if let Some(id) = id {
            out.push((accessor("libs.plugins.", alias), id));
        }
    }
    out.sort();
    Ok(out)
}

/// Replaces a Gradle build's `libs.…` accessors by what `catalog` says they
/// are; an accessor the catalog does not know (a bundle, a typo) is dropped.
pub fn resolve_catalog(manifest: &mut Manifest, catalog: &[(String, String)]) {
    manifest.dependencies.retain_mut(|d| {
        if !d.name.starts_with("libs.") {
            return true;
        }
        let normal = d.name.replace(['-', '_'], ".");
        match catalog.binary_search_by(|(alias, _)| alias.as_str().cmp(&normal)) {
            Ok(found) => {
                d.name = catalog[found].1.clone();
                true
            }
            Err(_) => false,
        }
    });
}

/// C and C++ builds: CMake `find_package(Name …)`, Meson `dependency('name')`,
/// vcpkg.json `dependencies` and conanfile.txt `[requires]` name the
/// libraries a program is built with (ecosystem `cmake` for all of them).
pub fn native_build(path: &str, text: &str) -> Result<Manifest, String> {
    let mut m = manifest("cmake");
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut push = |dependency: &str, line: u32| {
        let dependency = dependency.trim().trim_matches(['"', '\'']);
        if !dependency.is_empty()
            && dependency.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+'))
        {
            m.dependencies.push(Dependency { name: dependency.to_owned(), line });
        }
    };
    match name {
        "vcpkg.json" => {
            let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
            for dependency in value.get("dependencies").and_then(|d| d.as_array()).into_iter().flatten() {
                let dependency = dependency.as_str().or_else(|| dependency.get("name")?.as_str()).unwrap_or("");
                push(dependency, line_of_text(text, &format!("\"{dependency}\"")));
            }
        }
        "conanfile.txt" => {
            let mut requires = false;
            for (i, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.starts_with('[') {
                    requires = line == "[requires]";
                } else if requires && !line.starts_with('#') {
                    push(line.split('/').next().unwrap_or(line), i as u32 + 1);
                }
            }
        }
        _ => {
            // CMakeLists.txt and meson.build: call forms, one dependency each;
            // CMake's pkg-config calls name a variable prefix, options, then modules.
            let call = if name == "meson.build" { "dependency(" } else { "find_package(" };
            for (i, line) in text.lines().enumerate() {
                let line = line.split('#').next().unwrap_or(line);
                for (at, _) in line.match_indices(call) {
                    let rest = &line[at + call.len()..];
                    push(rest.split([' ', ')', ',']).next().unwrap_or(""), i as u32 + 1);
                }
                for pkg_config in ["pkg_check_modules(", "pkg_search_module("] {
                    for (at, _) in line.match_indices(pkg_config) {
                        let arguments = line[at + pkg_config.len()..].split(')').next().unwrap_or("");
                        let modules = arguments.split_whitespace().skip(1).filter(|a| !is_cmake_option(a));
                        for module in modules {
                            // `libpq>=9.0`: the module, not its version bound.
                            push(module.split(['<', '>', '=']).next().unwrap_or(""), i as u32 + 1);
                        }
                    }
                }
            }
        }
    }
    Ok(m)
}

/// The upper-case keywords of CMake's calls (`REQUIRED`, `IMPORTED_TARGET`).
fn is_cmake_option(argument: &str) -> bool {
    argument.chars().all(|c| c.is_ascii_uppercase() || c == '_')
}

/// Composer: `require` lists what the application runs on (`require-dev` is tooling).
pub fn composer_json(text: &str) -> Result<Manifest, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut m = manifest("composer");
    m.name = value.get("name").and_then(|n| n.as_str()).map(str::to_owned);
    if let Some(deps) = value.get("require").and_then(|d| d.as_object()) {
        // `php` and `ext-*` are the runtime and its extensions, not packages.
        for name in deps.keys().filter(|n| *n != "php" && !n.starts_with("ext-") && n.contains('/')) {
            m.dependencies.push(Dependency { name: name.clone(), line: line_of_text(text, &format!("\"{name}\"")) });
        }
    }
    Ok(m)
}

/// Mix: a project is Elixir code; its dependencies are the `{:name, …}`
/// tuples of the list `deps/0` returns. Reading the tuples' leading atoms
/// is what `mix deps` itself resolves without running the file.
pub fn mix_exs(text: &str) -> Manifest {
    let mut m = manifest("hex");
    let deps_start = text.find("defp deps").or_else(|| text.find("def deps"));
    let app = text.find("app:").and_then(|at| text[at + 4..].trim_start().strip_prefix(':'));
    m.name = app.map(|rest| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect());
    let Some(start) = deps_start else { return m };
    let mut offset = start;
    for line in text[start..].lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("{:") {
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            // A dependency only the test or dev environments load is tooling.
            let tooling =
                rest.contains("only: :test") || rest.contains("only: :dev") || rest.contains("only: [:dev, :test]");
            if !name.is_empty() && !tooling {
                m.dependencies.push(Dependency { name, line: super::line_of(text, offset) });
            }
        }
        if trimmed.starts_with("end") && offset > start {
            break;
        }
        offset += line.len() + 1;
    }
    m
}

/// sbt: `"group" % "artifact" % "version"` and `"group" %% "artifact" % …`
/// (`%%` appends the Scala version to the artifact; the coordinates are read
/// without it, as the catalog lists them). The build's `name := "…"` names
/// the program when there is only one (a multi-project build names several).
pub fn sbt(text: &str) -> Manifest {
    let mut m = manifest("sbt");
    let mut names = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        names.extend(sbt_names(trimmed));
        // Test-scoped libraries are tooling, not what the service runs on.
        let test_scope = trimmed.contains("% \"test\"") || trimmed.contains("% Test");
        if trimmed.starts_with("//") || test_scope {
            continue;
        }
        let quoted: Vec<&str> = trimmed.split('"').collect();
        // quoted[1] = group, quoted[2] = ` % ` or ` %% `, quoted[3] = artifact
        let mut k = 1;
        while k + 2 < quoted.len() {
            let operator = quoted[k + 1].trim();
            if (operator == "%" || operator == "%%" || operator == "%%%")
                && !quoted[k].is_empty()
                && !quoted[k + 2].is_empty()
                && !quoted[k].contains(' ')
            {
                m.dependencies
                    .push(Dependency { name: format!("{}:{}", quoted[k], quoted[k + 2]), line: i as u32 + 1 });
                k += 4;
            } else {
                k += 2;
            }
        }
    }
    if names.len() == 1 {
        m.name = names.pop_first();
    }
    m
}

/// The string literals assigned to `name` on one line of a build.sbt
/// (`name := "api"`, `.settings(name := "api")`; not `moduleName :=`).
fn sbt_names(line: &str) -> impl Iterator<Item = String> + '_ {
    line.match_indices("name").filter_map(move |(at, _)| {
        let before = line[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            return None;
        }
        let rest = line[at + 4..].trim_start().strip_prefix(":=")?.trim_start().strip_prefix('"')?;
        let name = rest.split('"').next()?;
        (!name.is_empty()).then(|| name.to_owned())
    })
}

/// Env reads of a Spring configuration file, its `server.port` with its
/// line, the addresses it configures, and `spring.application.name`.
pub type SpringConfig = (Vec<EnvEntry>, Option<(Port, u32)>, Vec<Target>, Option<String>);

/// Spring `application*.yml|properties`: `${X}` / `${X:default}` placeholders
/// are env reads (Spring resolves them from the environment); `server.port`.
pub fn spring(path: &str, text: &str) -> Result<SpringConfig, String> {
    let mut values: Vec<(String, String, u32)> = Vec::new();
    if path.ends_with(".properties") {
        // Java's rules: `=`, `:` or whitespace between key and value, `\`
        // continuations, escapes. Spring Boot reads the file as UTF-8. Past a
        // line the reader cannot take (a malformed `\u` escape), the rest is unread.
        let lines = java_properties::PropertiesIter::new_with_encoding(text.as_bytes(), encoding_rs::UTF_8);
        for line in lines.map_while(Result::ok) {
            let number = line.line_number() as u32;
            if let java_properties::LineContent::KVPair(key, value) = line.consume_content() {
                values.push((key, value, number));
            }
        }
    } else {
        for document in yaml::parse(text)? {
            flatten("", &document, &mut values);
        }
        // Ktor's YAML config spells an env read `$PORT` or `$PORT:8080`.
        for (_, value, _) in &mut values {
            if let Some(rest) = value.strip_prefix('$').filter(|rest| !rest.starts_with('{')) {
                let name = rest.split(':').next().unwrap_or(rest);
                if crate::scan::extract::is_env_name(name) {
                    *value = format!("${{{rest}}}");
                }
            }
        }
    }
    Ok(from_values(&values))
}

/// HOCON (`application.conf` of Ktor, Play, Akka and Typesafe Config):
/// `key = value` / `key: value` / `key { … }`, and `${?NAME}` /
/// `${NAME}` substitutions, which Typesafe Config resolves from the process
/// environment when no configuration key of that name exists — so only
/// env-shaped names (upper case, no dots) count as reads. `${?NAME}` is
/// optional: the key keeps its earlier value when NAME is unset, so that
/// value becomes the read's default. A line-oriented reader is enough for
/// keys, values and substitutions; objects spanning a line's braces nest.
pub fn hocon(text: &str) -> SpringConfig {
    let mut values: Vec<(String, String, u32)> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split("//").next().unwrap_or(raw);
        let line = if line.contains("://") { raw } else { line };
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if line.starts_with('}') {
            path.pop();
            continue;
        }
        let Some(split) = line.find(['=', ':', '{']) else { continue };
        let key = line[..split].trim().trim_matches('"');
        let rest = line[split..].trim_start_matches(['=', ':']).trim();
        if rest.starts_with('{') || line.as_bytes()[split] == b'{' {
            let opened = rest.trim_start_matches('{').trim();
            if !opened.ends_with('}') {
                path.push(key.to_owned());
            }
            continue;
        }
        let full = if path.is_empty() { key.to_owned() } else { format!("{}.{key}", path.join(".")) };
        let value = rest.trim_end_matches(',').trim().trim_matches('"');
        // `${?NAME}` keeps the earlier value when NAME is unset: that is its default.
        let previous = values.iter().rev().find(|(k, _, _)| *k == full).map(|(_, v, _)| with_defaults(v));
        let value = optional_with_default(value, previous.as_deref().unwrap_or(""));
        values.push((full, value, i as u32 + 1));
    }
    from_values(&values)
}

/// `${?NAME}` → `${NAME:default}`: an optional substitution reads NAME with a default.
fn optional_with_default(value: &str, default: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${?") {
        out.push_str(&rest[..start]);
        let inner = &rest[start + 3..];
        let end = inner.find('}').unwrap_or(inner.len());
        out.push_str(&format!("${{{}:{default}}}", &inner[..end]));
        rest = inner.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn from_values(values: &[(String, String, u32)]) -> SpringConfig {
    let mut reads = Vec::new();
    let mut port = None;
    let mut targets = Vec::new();
    let mut name = None;
    for (key, value, line) in values {
        if key == "spring.application.name" && !value.contains("${") {
            name = Some(value.clone());
        }
        let names = placeholders(value);
        let resolved = with_defaults(value);
        // A gateway route to a registered application (Zuul `routes.x.serviceId`,
        // Spring Cloud `service-id`) names it as discovery does: `lb://name`.
        let leaf = key.rsplit('.').next().unwrap_or(key);
        if matches!(leaf, "serviceId" | "service-id" | "service_id")
            && !resolved.is_empty()
            && resolved.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            targets.push(Target { url: format!("lb://{resolved}"), line: *line, via: names.first().cloned() });
        }
        if resolved.contains("://") {
            for url in resolved.split([',', ' ']).filter(|part| part.contains("://")) {
                let url = url.trim_start_matches("optional:").trim_start_matches("configserver:");
                targets.push(Target { url: url.to_owned(), line: *line, via: names.first().cloned() });
            }
        }
        for name in names {
            // `${NAME:fallback}`: Spring uses the fallback when NAME is unset.
            let default = value.contains(&format!("${{{name}:"));
            reads.push(EnvEntry { name, line: *line, value: None, default });
        }
        if matches!(key.as_str(), "server.port" | "ktor.deployment.port" | "play.server.http.port" | "http.port") {
            let literal = value.strip_prefix("${").and_then(|v| v.split(':').nth(1)).map(|d| d.trim_end_matches('}'));
            if let Ok(p) = literal.unwrap_or(value).parse() {
                port = Some((p, *line));
            }
        }
    }
    (reads, port, targets, name)
}

/// The value with each `${NAME:default}` replaced by its default (or removed).
fn with_defaults(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let inner = &rest[start + 2..];
        let end = inner.find('}').unwrap_or(inner.len());
        if let Some((_, default)) = inner[..end].split_once(':') {
            out.push_str(default);
        }
        rest = inner.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn flatten(prefix: &str, node: &Node, out: &mut Vec<(String, String, u32)>) {
    match &node.value {
        Yaml::Map(entries) => {
            for (key, child) in entries {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, child, out);
            }
        }
        Yaml::Seq(items) => items.iter().for_each(|item| flatten(prefix, item, out)),
        Yaml::Scalar(value) => out.push((prefix.to_owned(), value.clone(), node.line)),
        Yaml::Null => {}
    }
}

/// Env-shaped names inside `${…}` placeholders (`${DB_HOST:localhost}` → `DB_HOST`).
/// Lower-case dotted names (`${server.port}`) are Spring properties, not env vars.
fn placeholders(value: &str) -> Vec<String> {
    value
        .split("${")
        .skip(1)
        .filter_map(|rest| {
            let name = rest.split(['}', ':']).next()?;
            (crate::scan::extract::is_env_name(name)
                && name.chars().any(|c| c.is_ascii_uppercase())
                && name == name.to_ascii_uppercase())
            .then(|| name.to_owned())
        })
        .collect()
}

#[cfg(test)]
fn pom_test_scope() -> Vec<String> {
    let text = "<project><dependencyManagement><dependencies><dependency><groupId>org.mongodb</groupId><artifactId>mongodb-driver</artifactId></dependency></dependencies></dependencyManagement><dependencies><dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><scope>runtime</scope></dependency><dependency><groupId>com.h2database</groupId><artifactId>h2</artifactId><scope>test</scope></dependency></dependencies><build><plugins><plugin><artifactId>liquibase-maven-plugin</artifactId><dependencies><dependency><groupId>org.mariadb.jdbc</groupId><artifactId>mariadb-java-client</artifactId></dependency></dependencies></plugin></plugins></build></project>";
    pom(text).unwrap().dependencies.into_iter().map(|d| d.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_manifest() {
        let npm = package_json("{\n  \"name\": \"web\",\n  \"scripts\": {\"start\": \"next start\"},\n  \"dependencies\": {\n    \"next\": \"14\",\n    \"stripe\": \"1\"\n  },\n  \"devDependencies\": {\"jest\": \"1\"}\n}").unwrap();
        assert_eq!(npm.name.as_deref(), Some("web"));
        assert_eq!(npm.start.as_deref(), Some("next start"));
        let deps: Vec<_> = npm.dependencies.iter().map(|d| (d.name.as_str(), d.line)).collect();
        assert_eq!(deps, [("next", 5), ("stripe", 6)]);

        let py =
            pyproject("[project]\nname = \"api\"\ndependencies = [\"fastapi[all]>=0.100\", \"psycopg2-binary\"]\n")
                .unwrap();
        assert_eq!(py.dependencies.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["fastapi", "psycopg2-binary"]);
        let poe = pyproject(
            "[project]\nname = \"shop\"\n[tool.poe.tasks]\nstart = \"uvicorn app:app\"\nworker.help = \"W\"\nworker.cmd = \"celery -A app worker\"\nbeat = { shell = \"celery -A app beat\" }\nall = [\"start\", \"worker\"]\n",
        )
        .unwrap();
        let tasks: Vec<_> = poe.tasks.iter().map(|t| (t.name.as_str(), t.command.as_str(), t.line)).collect();
        assert_eq!(
            tasks,
            [("beat", "celery -A app beat", 7), ("start", "uvicorn app:app", 4), ("worker", "celery -A app worker", 6)]
        );
        let req = requirements("# c\nFlask==2.0\n-r base.txt\nredis>=4 # cache\n");
        let compiled = requirements("flask==2.0\n    # via -r requirements.in\nwerkzeug==3\n    # via flask\n");
        assert_eq!(compiled.dependencies.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["flask"]);
        assert_eq!(
            req.dependencies.iter().map(|d| (d.name.as_str(), d.line)).collect::<Vec<_>>(),
            [("flask", 2), ("redis", 4)]
        );
        let go = go_mod(
            "module example.com/app\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n\tgo.mongodb.org/mongo-driver v1.17.7 // indirect\n)\nrequire github.com/gin-gonic/gin v1.9.0\n",
        );
        assert_eq!(go.name.as_deref(), Some("example.com/app"));
        assert_eq!(
            go.dependencies.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
            ["github.com/lib/pq", "github.com/gin-gonic/gin"]
        );
        let pom = pom("<project><artifactId>vets</artifactId><dependencies><dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency></dependencies></project>").unwrap();
        let scoped = pom_test_scope();
        assert_eq!(
            scoped,
            ["org.postgresql:postgresql"],
            "test scope, managed versions and plugin dependencies are not the program's"
        );
        let tested = super::gradle(
            "build.gradle",
            "dependencies {\n    implementation(\"org.postgresql:postgresql:42.7.3\")\n    testImplementation 'com.h2database:h2:2.2.224'\n    androidTestImplementation(\"androidx.test:runner:1.5\")\n}\n",
        );
        let names: Vec<&str> = tested.dependencies.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["org.postgresql:postgresql"]);
        assert_eq!(pom.name.as_deref(), Some("vets"));
        assert_eq!(pom.dependencies[0].name, "org.postgresql:postgresql");
        let gradle = gradle(
            "build.gradle",
            "dependencies {\n  implementation 'org.springframework.boot:spring-boot-starter-web'\n  // implementation 'x:y'\n}\n",
        );
        assert_eq!(gradle.dependencies[0].name, "org.springframework.boot:spring-boot-starter-web");
        assert_eq!(gradle.dependencies.len(), 1);
        let cs = csproj(
            "src/Api/Api.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n<ItemGroup>\n<PackageReference Include=\"Npgsql\" Version=\"8\" />\n<ProjectReference Include=\"..\\Infra\\Infra.csproj\" />\n</ItemGroup></Project>",
        )
        .unwrap();
        assert_eq!(cs.name.as_deref(), Some("Api"));
        assert!(!cs.not_a_service);
        let maui = csproj(
            "src/App/App.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><UseMaui>true</UseMaui></PropertyGroup></Project>",
        )
        .unwrap();
        assert!(maui.not_a_service);
        let host =
            csproj("src/AppHost/AppHost.csproj", "<Project Sdk=\"Aspire.AppHost.Sdk/13.1.0\"></Project>").unwrap();
        assert!(host.not_a_service);
        assert_eq!(cs.dependencies[1].name, "Infra");
        assert!(cs.web_sdk);
        assert_eq!((cs.dependencies[0].name.as_str(), cs.dependencies[0].line), ("Npgsql", 3));
        let cargo =
            cargo_toml("[package]\nname = \"svc\"\n[dependencies]\nactix-web = \"4\"\nsqlx = { version = \"0.7\" }\n")
                .unwrap();
        assert_eq!(
            cargo.dependencies.iter().map(|d| (d.name.as_str(), d.line)).collect::<Vec<_>>(),
            [("actix-web", 4), ("sqlx", 5)]
        );
        let gems = gemfile("source 'x'\ngem \"rails\", \"~> 7\"\ngem 'sidekiq'\n");
        assert_eq!(gems.dependencies.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["rails", "sidekiq"]);
        // Development and test groups are tooling; a group that also ships
        // (`:production`) is not; `gem(...)` and several calls on a line count.
        let gems = gemfile(
            "gem(\"pg\", \"~> 1.5\"); gem 'redis'\ngroup :development, :test do\n  gem \"rspec-rails\"\n  gem 'sqlite3'\nend\ngroup :production, :test do\n  gem 'aws-sdk-s3', require: false\nend\ngem 'debug', group: [:development, :test]\ngem 'stripe', group: :default\n# gem 'mysql2'\n",
        );
        assert_eq!(
            gems.dependencies.iter().map(|d| (d.name.as_str(), d.line)).collect::<Vec<_>>(),
            [("pg", 1), ("redis", 1), ("aws-sdk-s3", 7), ("stripe", 10)]
        );
    }

    #[test]
    fn reads_composer_mix_and_sbt() {
        let composer = composer_json(
            "{\n  \"name\": \"acme/app\",\n  \"require\": {\n    \"php\": \"^8.2\",\n    \"ext-pdo\": \"*\",\n    \"laravel/framework\": \"^11\",\n    \"predis/predis\": \"^2\"\n  },\n  \"require-dev\": {\"phpunit/phpunit\": \"^10\"}\n}",
        )
        .unwrap();
        assert_eq!(composer.name.as_deref(), Some("acme/app"));
        let deps: Vec<_> = composer.dependencies.iter().map(|d| (d.name.as_str(), d.line)).collect();
        assert_eq!(deps, [("laravel/framework", 6), ("predis/predis", 7)]);

        let mix = mix_exs(
            "defmodule App.MixProject do\n  def project do\n    [app: :logflare, deps: deps()]\n  end\n  defp deps do\n    [\n      {:phoenix, \"~> 1.7\"},\n      {:postgrex, \">= 0.0.0\"},\n      {:credo, \"~> 1.6\", only: [:dev, :test]},\n      {:ex_machina, \"~> 2.7\", only: :test}\n    ]\n  end\nend\n",
        );
        assert_eq!(mix.name.as_deref(), Some("logflare"));
        let deps: Vec<_> = mix.dependencies.iter().map(|d| (d.name.as_str(), d.line)).collect();
        assert_eq!(deps, [("phoenix", 7), ("postgrex", 8)]);

        let sbt = sbt(
            "libraryDependencies ++= Seq(\n  \"org.http4s\" %% \"http4s-ember-server\" % http4sVersion,\n  // \"x\" % \"y\" % \"1\",\n  \"org.postgresql\" % \"postgresql\" % \"42.7.1\",\n  \"org.scalatest\" %% \"scalatest\" % \"3.2.18\" % \"test\"\n)\n",
        );
        let deps: Vec<_> = sbt.dependencies.iter().map(|d| (d.name.as_str(), d.line)).collect();
        assert_eq!(deps, [("org.http4s:http4s-ember-server", 2), ("org.postgresql:postgresql", 4)]);
        assert_eq!(sbt.name, None);
        let named =
            super::sbt("lazy val root = (project in file(\".\"))\n  .settings(\n    name := \"reviews\",\n  )\n");
        assert_eq!(named.name.as_deref(), Some("reviews"));
        let several = super::sbt(
            "lazy val api = project.settings(name := \"api\")\nlazy val web = project\n  .settings(\n    name := \"web\"\n  )\n",
        );
        assert_eq!(several.name, None);
        assert_eq!(sbt.ecosystem, "sbt");
    }

    #[test]
    fn a_kotlin_build_script_is_read_as_kotlin() {
        let script = r#"plugins {
    id("org.springframework.boot") version "3.2.0"
    alias(libs.plugins.ktor)
}
/* implementation("com.example:commented-out:1.0")
   a block comment the line scanner would have read */
dependencies {
    implementation("org.postgresql:postgresql:42.7.3"); runtimeOnly("io.lettuce:lettuce-core:6.3")
    implementation(group = "org.apache.kafka", name = "kafka-clients", version = "3.7.0")
    implementation(
        libs.ktor.server.netty
    )
    testImplementation("org.testcontainers:postgresql:1.19")
    "testImplementation"("com.h2database:h2:2.2")
    add("integrationTestImplementation", libs.mockk)
    implementation("org.example:${'$'}{artifact}:1.0")
    jvmToolchain(libs.versions.java.get().toInt())
}
"#;
        let build = gradle("service/build.gradle.kts", script);
        let deps: Vec<_> = build.dependencies.iter().map(|d| (d.name.as_str(), d.line)).collect();
        assert_eq!(
            deps,
            [
                ("org.springframework.boot", 2),
                ("libs.plugins.ktor", 3),
                ("org.postgresql:postgresql", 8),
                ("io.lettuce:lettuce-core", 8),
                ("org.apache.kafka:kafka-clients", 9),
                ("libs.ktor.server.netty", 11),
            ],
            "comments, test configurations, templates and version accessors are not dependencies"
        );
        // The same text read as Groovy, line by line, takes the commented coordinate.
        let groovy = gradle("build.gradle", script);
        assert!(groovy.dependencies.iter().any(|d| d.name == "com.example:commented-out"));
    }

    #[test]
    fn a_version_catalog_resolves_gradle_accessors() {
        let catalog = version_catalog(
            "[libraries]\nktor-server-netty = { module = \"io.ktor:ktor-server-netty\", version.ref = \"k\" }\npg = { group = \"org.postgresql\", name = \"postgresql\" }\nshort = \"com.x:y:1.0\"\n[plugins]\nktor = { id = \"io.ktor.plugin\" }\n",
        )
        .unwrap();
        let mut build = gradle(
            "build.gradle.kts",
            "plugins { alias(libs.plugins.ktor) }\ndependencies {\n  implementation(libs.ktor.server.netty)\n  implementation(libs.pg)\n  implementation(libs.short)\n  implementation(libs.unknown)\n  implementation(mylibs.other)\n}\n",
        );
        resolve_catalog(&mut build, &catalog);
        let deps: Vec<_> = build.dependencies.iter().map(|d| (d.name.as_str(), d.line)).collect();
        assert_eq!(
            deps,
            [("io.ktor.plugin", 1), ("io.ktor:ktor-server-netty", 3), ("org.postgresql:postgresql", 4), ("com.x:y", 5)]
        );
    }

    #[test]
    fn native_builds_name_their_libraries() {
        let names = |m: Manifest| m.dependencies.into_iter().map(|d| (d.name, d.line)).collect::<Vec<_>>();
        let cmake = native_build(
            "CMakeLists.txt",
            "project(x)\nfind_package(Drogon CONFIG REQUIRED)\n# find_package(Commented)\nfind_package(gRPC)\n",
        )
        .unwrap();
        assert_eq!(names(cmake), [("Drogon".to_owned(), 2), ("gRPC".to_owned(), 4)]);
        let vcpkg = native_build("vcpkg.json", "{\"dependencies\": [\"crow\", {\"name\": \"libpq\"}]}").unwrap();
        assert_eq!(names(vcpkg), [("crow".to_owned(), 1), ("libpq".to_owned(), 1)]);
        let conan = native_build("conanfile.txt", "[requires]\ndrogon/1.9.1\n[generators]\nCMakeDeps\n").unwrap();
        assert_eq!(names(conan), [("drogon".to_owned(), 2)]);
        let meson = native_build("meson.build", "dep = dependency('pistache')\n").unwrap();
        assert_eq!(names(meson), [("pistache".to_owned(), 1)]);
        let pkg_config = native_build(
            "CMakeLists.txt",
            "pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_search_module(PQ libpq>=9.0 libpqxx)
",
        )
        .unwrap();
        assert_eq!(names(pkg_config), [("hiredis".to_owned(), 1), ("libpq".to_owned(), 2), ("libpqxx".to_owned(), 2)]);
    }

    /// `${?X}` after a value reads X with that value as its default; `${X}`
    /// reads X; a dotted substitution is a configuration key, not a variable.
    #[test]
    fn hocon_substitutions_are_env_reads() {
        let text = "ktor {\n  deployment {\n    port = 8080\n    port = ${?PORT}\n  }\n  application {\n    modules = [ com.example.ApplicationKt.module ]\n  }\n}\ndb.url = ${DATABASE_URL}\ndb.pool = ${db.size}\ncache { host = \"redis://cache:6379\" }\n";
        let (reads, port, targets, _) = hocon(text);
        let reads: Vec<_> = reads.iter().map(|r| (r.name.as_str(), r.line, r.default)).collect();
        assert_eq!(reads, [("PORT", 4, true), ("DATABASE_URL", 10, false)]);
        // The last assignment wins, as Typesafe Config resolves it.
        assert_eq!(port, Some((8080, 4)));
        assert!(targets.is_empty(), "{targets:?}");
    }

    #[test]
    fn ktor_yaml_spells_env_reads_with_a_dollar() {
        let (reads, port, _, _) = spring(
            "src/main/resources/application.yaml",
            "ktor:\n  deployment:\n    port: \"$PORT:8080\"\n    host: $HOST\n",
        )
        .unwrap();
        let reads: Vec<_> = reads.iter().map(|r| (r.name.as_str(), r.default)).collect();
        assert_eq!(reads, [("PORT", true), ("HOST", false)]);
        assert_eq!(port, Some((8080, 3)));
    }

    #[test]
    fn spring_placeholders_port_and_addresses() {
        let (reads, port, targets, _) = spring(
            "src/main/resources/application.yml",
            "server:\n  port: ${PORT:8081}\nspring:\n  datasource:\n    url: jdbc:mysql://${DB_HOST:localhost}/db\n    password: ${spring.x}\n  config:\n    import: optional:configserver:${CONFIG_SERVER_URL:http://localhost:8888/}\n",
        )
        .unwrap();
        assert_eq!(
            reads.iter().map(|r| (r.name.as_str(), r.line)).collect::<Vec<_>>(),
            [("PORT", 2), ("DB_HOST", 5), ("CONFIG_SERVER_URL", 8)]
        );
        assert_eq!(port, Some((8081, 2)));
        let targets: Vec<_> = targets.iter().map(|t| (t.url.as_str(), t.line, t.via.as_deref())).collect();
        assert_eq!(
            targets,
            [
                ("jdbc:mysql://localhost/db", 5, Some("DB_HOST")),
                ("http://localhost:8888/", 8, Some("CONFIG_SERVER_URL"))
            ]
        );
        let (reads, port, _, name) =
            spring("application.properties", "server.port=9090\napi.key=${API_KEY}\nspring.application.name=billing\n")
                .unwrap();
        assert_eq!(name.as_deref(), Some("billing"));
        assert_eq!((reads[0].name.as_str(), port), ("API_KEY", Some((9090, 1))));
        // Java's syntax: a space separates key and value, `\` continues a
        // line, `!` starts a comment, escapes are read.
        let (reads, port, targets, _) = spring(
            "application.properties",
            "! comment ${NOT_READ}\nserver.port 8081\napp.upstream = http://${UPSTREAM_HOST:catalog}\\\n    :8080/api\ngreeting=caf\\u00e9 ${GREETING}\n",
        )
        .unwrap();
        let read: Vec<(&str, u32)> = reads.iter().map(|r| (r.name.as_str(), r.line)).collect();
        assert_eq!(read, [("UPSTREAM_HOST", 3), ("GREETING", 5)]);
        assert_eq!(port, Some((8081, 2)));
        assert_eq!(targets[0].url, "http://catalog:8080/api");
    }
}
