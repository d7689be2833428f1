//! A .NET Aspire AppHost: the program that starts the system, read as the
//! deployment it describes. `builder.AddProject<Projects.Catalog_API>("catalog-api")`
//! runs a project of the solution under a name; `AddRedis("redis")`,
//! `AddPostgres(…).AddDatabase("catalogdb")` and the like start systems;
//! `.WithReference(x)` hands a resource's address to another (as
//! `ConnectionStrings__x` or service discovery), and
//! `.WithEnvironment("Name", x.GetEndpoint(…))` an endpoint under a name,
//! directly or through a variable (`var endpoint = x.GetEndpoint(…);`).
//!
//! Read by statements rather than with the C# grammar: the AppHost is a
//! flat list of fluent chains, and relating a chain's calls to the variable
//! it is assigned to is a matter of the statement's text, which a query
//! over single calls cannot carry.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// The variable the builder is kept in, if any.
    pub var: Option<String>,
    /// The resource's name in the application model (`catalog-api`).
    pub name: String,
    /// The `Add…` method without `Add` (`Project`, `Redis`, `Database`, `Container`).
    pub method: String,
    /// `AddProject<Projects.Catalog_API>`: `Catalog_API`.
    pub project: Option<String>,
    /// The variable it was added to (`postgres.AddDatabase(…)`).
    pub parent: Option<String>,
    /// `AddContainer("name", "image")` or `.WithImage("image")`.
    pub image: Option<String>,
    pub line: u32,
    /// Variables of the resources it references.
    pub references: Vec<String>,
    /// `WithEnvironment` names, each with the resource whose endpoint it carries.
    pub environment: Vec<(String, Option<String>, u32)>,
}

/// Whether a C# file is an AppHost.
pub fn is_app_host(text: &str) -> bool {
    text.contains("DistributedApplication.CreateBuilder")
}

pub fn parse(text: &str) -> Vec<Resource> {
    let code = without_comments(text);
    let mut resources: Vec<Resource> = Vec::new();
    let mut endpoints = Endpoints::new();
    let mut offset = 0;
    for statement in code.split_inclusive(';') {
        let start = offset + statement.len() - statement.trim_start().len();
        offset += statement.len();
        let line = code[..start].matches('\n').count() as u32 + 1;
        read_statement(statement.trim(), line, &mut resources, &mut endpoints);
    }
    resources
}

/// Variables that hold a resource's endpoint (`identityEndpoint` of
/// `var identityEndpoint = identityApi.GetEndpoint("https");`) → the resource's variable.
type Endpoints = std::collections::HashMap<String, String>;

fn read_statement(statement: &str, line: u32, resources: &mut Vec<Resource>, endpoints: &mut Endpoints) {
    // `var x = …` or `IResourceBuilder<…> x = …`
    let (var, chain) = match statement.split_once('=') {
        Some((left, right)) if !left.contains('(') && !right.starts_with('=') => {
            let var = left.split_whitespace().last().map(str::to_owned);
            (var, right.trim())
        }
        _ => (None, statement.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '_')),
    };
    let calls = calls(chain);
    let Some((receiver, _)) = calls.first() else { return };
    if let (Some(var), [(_, call)]) = (&var, calls.as_slice())
        && call.name == "GetEndpoint"
        && resources.iter().any(|r| r.var.as_deref() == Some(receiver.as_str()))
    {
        endpoints.insert(var.clone(), receiver.clone());
        return;
    }
    let added = calls.iter().enumerate().find_map(|(i, (_, call))| {
        let method = call.name.strip_prefix("Add")?;
        let name = call.strings.first()?;
        Some((i, method, name))
    });
    let index = match added {
        Some((i, method, name)) => {
            let call = &calls[i].1;
            let project = call.generic.as_deref().and_then(|g| g.strip_prefix("Projects.")).map(str::to_owned);
            let parent = (i == 0 && receiver != "builder").then(|| receiver.clone());
            let image = if method == "Container" { call.strings.get(1).cloned() } else { None };
            resources.push(Resource {
                var: var.clone(),
                name: name.clone(),
                method: method.to_owned(),
                project,
                parent,
                image,
                line,
                references: Vec::new(),
                environment: Vec::new(),
            });
            resources.len() - 1
        }
        // `identityApi.WithEnvironment(…)`: more for a resource made earlier.
        None => match resources.iter().rposition(|r| r.var.as_deref() == Some(receiver.as_str())) {
            Some(index) => index,
            None => return,
        },
    };
    let resource = &mut resources[index];
    for (_, call) in &calls {
        match call.name.as_str() {
            "WithReference" => {
                let referenced = call.idents.first().map(|ident| endpoints.get(ident).unwrap_or(ident));
                resource.references.extend(referenced.cloned());
            }
            "WithEnvironment" => {
                if let Some(name) = call.strings.first() {
                    let endpoint = call.idents.first().and_then(|ident| {
                        if call.text.contains("GetEndpoint") {
                            Some(ident.clone())
                        } else {
                            endpoints.get(ident).cloned()
                        }
                    });
                    resource.environment.push((name.clone(), endpoint, line));
                }
            }
            "WithImage" => resource.image = call.strings.first().cloned(),
            _ => {}
        }
    }
}

struct Call {
    name: String,
    generic: Option<String>,
    /// String literals among its arguments, in order.
    strings: Vec<String>,
    /// Bare identifiers among its arguments (`redis`, `identityApi` of `identityApi.GetEndpoint(…)`).
    idents: Vec<String>,
    text: String,
}

/// `a.B<T>("x").C(y)` → receiver `a`, calls `B` and `C` with their arguments.
fn calls(chain: &str) -> Vec<(String, Call)> {
    let receiver: String = chain.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    let mut out = Vec::new();
    let bytes = chain.as_bytes();
    let mut i = receiver.len();
    while i < bytes.len() {
        if bytes[i] != b'.' {
            i += 1;
            continue;
        }
        let name_start = i + 1;
        let mut j = name_start;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
            j += 1;
        }
        let name = &chain[name_start..j];
        let mut generic = None;
        if j < bytes.len() && bytes[j] == b'<' {
            let end = chain[j..].find('>').map_or(bytes.len(), |e| j + e);
            generic = Some(chain[j + 1..end].trim().to_owned());
            j = (end + 1).min(bytes.len());
        }
        if name.is_empty() || j >= bytes.len() || bytes[j] != b'(' {
            i = j.max(i + 1);
            continue;
        }
        // The argument list, to its matching parenthesis.
        let mut depth = 0;
        let mut end = j;
        for (k, c) in chain[j..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = j + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        let args = &chain[j + 1..end.max(j + 1)];
        out.push((
            receiver.clone(),
            Call {
                name: name.to_owned(),
                generic,
                strings: string_literals(args),
                idents: args
                    .split(',')
                    .filter_map(|arg| {
                        let arg = arg.trim();
                        let ident: String = arg.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        (!ident.is_empty()
                            && !arg.starts_with('"')
                            && ident.chars().next().is_some_and(|c| !c.is_ascii_digit()))
                        .then_some(ident)
                    })
                    .collect(),
                text: args.to_owned(),
            },
        ));
        i = end.max(j) + 1;
    }
    out
}

fn string_literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        // Interpolated strings (`$"…{x}…"`) name nothing fixed.
        if !rest[..start].ends_with('$') {
            out.push(after[..end].to_owned());
        }
        rest = &after[end + 1..];
    }
    out
}

/// The code with `//` and `/* */` comments blanked (line breaks kept, so lines still count).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let (mut in_line, mut in_block, mut in_string) = (false, false, false);
    while let Some(c) = chars.next() {
        if in_line {
            if c == '\n' {
                in_line = false;
                out.push('\n');
            }
            continue;
        }
        if in_block {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                in_block = false;
            } else if c == '\n' {
                out.push('\n');
            }
            continue;
        }
        if c == '"' {
            in_string = !in_string;
        } else if !in_string && c == '/' && chars.peek() == Some(&'/') {
            in_line = true;
            continue;
        } else if !in_string && c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            in_block = true;
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP_HOST: &str = "var builder = DistributedApplication.CreateBuilder(args);\n\nvar redis = builder.AddRedis(\"redis\");\nvar postgres = builder.AddPostgres(\"postgres\")\n    .WithImage(\"ankane/pgvector\");\nvar catalogDb = postgres.AddDatabase(\"catalogdb\");\n// var old = builder.AddProject<Projects.Old>(\"old\");\nvar identity = builder.AddProject<Projects.Identity_API>(\"identity-api\", launchProfileName)\n    .WithReference(catalogDb);\nvar catalog = builder.AddProject<Projects.Catalog_API>(\"catalog-api\")\n    .WithReference(redis).WaitFor(redis)\n    .WithReference(catalogDb)\n    .WithEnvironment(\"Identity__Url\", identity.GetEndpoint(\"https\"));\nbuilder.AddContainer(\"mail\", \"maildev/maildev\");\nidentity.WithEnvironment(\"CatalogClient\", catalog.GetEndpoint(\"http\"))\n    .WithEnvironment(\"Mode\", \"demo\");\nbuilder.Build().Run();\n";

    #[test]
    fn an_endpoint_kept_in_a_variable_names_its_resource() {
        let resources = parse(
            "var builder = DistributedApplication.CreateBuilder(args);\nvar identityApi = builder.AddProject<Projects.Identity_API>(\"identity-api\");\nvar identityEndpoint = identityApi.GetEndpoint(launchProfileName);\nvar url = \"http://example.com\";\nvar basket = builder.AddProject<Projects.Basket_API>(\"basket-api\")\n    .WithEnvironment(\"Identity__Url\", identityEndpoint)\n    .WithEnvironment(\"Other\", url);\nvar web = builder.AddProject<Projects.WebApp>(\"webapp\").WithReference(identityEndpoint);\n",
        );
        let basket = resources.iter().find(|r| r.name == "basket-api").expect("basket");
        assert_eq!(basket.environment[0], ("Identity__Url".to_owned(), Some("identityApi".to_owned()), 5));
        assert_eq!(basket.environment[1].1, None);
        let web = resources.iter().find(|r| r.name == "webapp").expect("web");
        assert_eq!(web.references, ["identityApi"]);
    }

    #[test]
    fn reads_resources_references_and_endpoints() {
        assert!(is_app_host(APP_HOST));
        let resources = parse(APP_HOST);
        let names: Vec<&str> = resources.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["redis", "postgres", "catalogdb", "identity-api", "catalog-api", "mail"]);
        let db = &resources[2];
        assert_eq!((db.method.as_str(), db.parent.as_deref()), ("Database", Some("postgres")));
        assert_eq!(resources[1].image.as_deref(), Some("ankane/pgvector"));
        let catalog = &resources[4];
        assert_eq!(catalog.project.as_deref(), Some("Catalog_API"));
        assert_eq!(catalog.references, ["redis", "catalogDb"]);
        assert_eq!(catalog.environment, [("Identity__Url".to_owned(), Some("identity".to_owned()), 10)]);
        let identity = &resources[3];
        assert_eq!(identity.line, 8);
        assert_eq!(identity.environment[0], ("CatalogClient".to_owned(), Some("catalog".to_owned()), 15));
        assert_eq!(identity.environment[1].1, None);
        assert_eq!(resources[5].image.as_deref(), Some("maildev/maildev"));
    }
}
