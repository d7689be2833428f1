//! What a path says about a file: vendored or test code (hashed, never
//! read for architecture), or a program's entry point.

/// Directory names whose contents are somebody else's code or build output.
const VENDORED_DIRS: &[&str] = &[
    "vendor",
    "vendors",
    "node_modules",
    "third_party",
    "third-party",
    "bower_components",
    ".venv",
    "venv",
    "site-packages",
    "__pycache__",
    ".next",
    ".nuxt",
    "dist",
    "target",
    ".terraform",
    // A development container is the developer's machine, not part of the system.
    ".devcontainer",
];

/// Directory names that hold tests and their data.
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "__mocks__",
    "spec",
    "e2e",
    "testdata",
    "test-data",
    "fixtures",
    "cypress",
    "benches",
    "benchmark",
    "benchmarks",
];

/// Vendored, generated or test files: hashed but not read for architecture.
pub fn is_excluded(path: &str) -> bool {
    let mut components = path.split('/');
    let name = components.next_back().unwrap_or(path);
    if path.split('/').rev().skip(1).any(|dir| VENDORED_DIRS.contains(&dir) || is_test_dir(dir)) {
        return true;
    }
    is_test_file(name) || is_generated(name)
}

/// Code that a generator writes from a schema: protoc's C++ output
/// (`demo.pb.cc`, `demo.grpc.pb.h`; hundreds of KiB of descriptors that
/// say nothing the `.proto` and the code using the stubs do not).
fn is_generated(name: &str) -> bool {
    [".pb.cc", ".pb.h", ".pb.cpp"].iter().any(|suffix| name.ends_with(suffix))
}

/// Build and task scripts run by developers and CI, not by the deployed system.
/// (`build.rs` is Cargo's: it runs at build time, with Cargo's variables.)
const BUILD_SCRIPTS: &[&str] = &[
    "Gemfile",
    "Rakefile",
    "setup.py",
    "noxfile.py",
    "fabfile.py",
    "Dangerfile",
    "Fastfile",
    "build.rs",
    "mix.exs",
    "build.sbt",
    "settings.gradle.kts",
    "build.gradle.kts",
];

/// sbt's meta-build: `project/*.scala|*.sbt` beside a `build.sbt` define
/// how the build runs (plugins, settings), not the program.
pub fn is_sbt_meta_build(path: &str) -> bool {
    let mut dirs = path.rsplit('/').skip(1);
    let name = path.rsplit('/').next().unwrap_or(path);
    dirs.next() == Some("project")
        && !path.contains("src/")
        && (name.ends_with(".sbt") || name.ends_with(".scala") || name == "build.properties")
}

/// Read as configuration (a Gemfile lists dependencies), never as code of the system.
pub fn is_build_script(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    is_sbt_meta_build(path)
        || BUILD_SCRIPTS.contains(&name)
        || name.ends_with(".rake")
        || name.ends_with(".gemspec")
        || name.ends_with(".gradle.kts")
        || name.ends_with(".sbt")
}

/// `tests/`, `__tests__/`, and `integration_tests/`, `unit_test/`, `lang_tests/`…
fn is_test_dir(dir: &str) -> bool {
    TEST_DIRS.contains(&dir)
        || ["_tests", "_test", "-tests", "-test"].iter().any(|suffix| dir.ends_with(suffix))
        || dir.strip_prefix("integration").is_some_and(|rest| matches!(rest, "test" | "tests"))
}

fn is_test_file(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    name.ends_with("_test.go")
        || (name.ends_with(".py") && (stem.starts_with("test_") || stem.ends_with("_test") || stem == "conftest"))
        || [".test.", ".spec.", ".stories."].iter().any(|marker| name.contains(marker))
        || (name.ends_with(".java") && (stem.ends_with("Test") || stem.ends_with("Tests") || stem.ends_with("IT")))
        || (name.ends_with(".cs") && (stem.ends_with("Test") || stem.ends_with("Tests")))
        || (name.ends_with(".rb") && (stem.ends_with("_spec") || stem.ends_with("_test")))
        || (name.ends_with(".rs") && (stem == "tests" || stem.ends_with("_tests")))
        || ((name.ends_with(".kt") || name.ends_with(".scala") || name.ends_with(".php"))
            && (stem.ends_with("Test") || stem.ends_with("Tests") || stem.ends_with("Spec")))
        || (name.ends_with(".exs") && stem.ends_with("_test"))
        || is_test_runner_setup(name, stem)
}

/// A file the JavaScript test runners load before every test file: Create
/// React App's `setupTests.js`, jest-preset-angular's `setup-jest.ts`,
/// `jest.setup.js` and `vitest.setup.ts` named in the runner's config.
fn is_test_runner_setup(name: &str, stem: &str) -> bool {
    let script = [".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts"]
        .iter()
        .any(|extension| name.ends_with(extension));
    script
        && (matches!(stem, "setupTests" | "setup-jest" | "jest-setup" | "vitest-setup" | "test-setup")
            || name.starts_with("jest.setup.")
            || name.starts_with("vitest.setup."))
}

/// Per language: file names that start a program, and text that marks one.
const ENTRY_POINTS: &[(&str, &[&str], &[&str])] = &[
    (
        "python",
        &["main.py", "app.py", "manage.py", "wsgi.py", "asgi.py", "server.py", "__main__.py"],
        &["__name__ == \"__main__\"", "__name__ == '__main__'"],
    ),
    ("go", &[], &["func main()"]),
    ("java", &[], &["public static void main("]),
    ("csharp", &["Program.cs"], &["static void Main(", "static async Task Main(", "WebApplication.CreateBuilder"]),
    ("rust", &[], &["fn main()"]),
    ("ruby", &["config.ru"], &[]),
    // Laravel's console and a front controller; the PHP runtime (FPM or a
    // built-in server) runs them, there is no main function.
    ("php", &["artisan", "index.php"], &[]),
    ("kotlin", &[], &["fun main("]),
    ("scala", &[], &["def main(", "extends App", "extends IOApp", "extends ZIOAppDefault", "@main "]),
    ("c", &[], &["int main("]),
    ("cpp", &[], &["int main("]),
    // A Mix project's OTP application callback starts its supervision tree.
    ("elixir", &[], &["use Application"]),
    ("javascript", &["server.js", "server.mjs"], &[]),
    ("typescript", &["server.ts", "main.ts"], &[]),
];

pub fn is_entry_point(language: &str, path: &str, text: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    ENTRY_POINTS.iter().filter(|(l, _, _)| *l == language).any(|(_, names, markers)| {
        names.contains(&name) || markers.iter().any(|m| text.contains(m)) && (language != "go" || is_package_main(text))
    })
}

/// The file's own package clause says `main` (gofmt keeps it at column 0;
/// an indented `package main` is an example inside a doc comment).
fn is_package_main(text: &str) -> bool {
    text.lines().any(|line| {
        line.strip_prefix("package main")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '/']))
    })
}

/// Directories of code that runs beside the system, not in it: developer
/// tools, examples and test harnesses (at the top of the tree or of a
/// project in it; `tools/` deep in a Java package path is a package name).
const BESIDE_THE_SYSTEM_DIRS: &[&str] = &[
    "tools",
    "hack",
    "examples",
    "example",
    "docs",
    "e2e",
    "testdata",
    "testhelpers",
    "testutil",
    "testutils",
    "dockertest",
    "loadtest",
    "load-test",
    "benchmark",
    "benchmarks",
    "bench",
    "fuzz",
    "fuzzing",
    ".github",
    ".circleci",
];

/// Whether `path` lies in such a directory: one of the first two, or a
/// test-support directory at any depth.
pub fn is_beside_the_system(path: &str) -> bool {
    let mut dirs = path.split('/').rev().skip(1).collect::<Vec<_>>();
    dirs.reverse();
    dirs.iter().take(2).any(|dir| BESIDE_THE_SYSTEM_DIRS.contains(dir))
        || dirs.iter().any(|dir| matches!(*dir, "testhelpers" | "testutil" | "testutils" | "dockertest" | "testdata"))
}

/// The directory of a path ("" for files at the root).
pub fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Whether `path` lies under directory `dir` ("" contains everything).
pub fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty() || path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        assert!(is_excluded("node_modules/x/index.js"));
        assert!(is_excluded("app/vendor/lib.go"));
        assert!(is_excluded("backend/tests/test_api.py"));
        assert!(is_excluded("src/api.test.ts"));
        assert!(is_excluded("pkg/server_test.go"));
        assert!(is_excluded("src/currency/build/generated/proto/demo.grpc.pb.h"));
        assert!(is_sbt_meta_build("project/plugins.sbt") && is_sbt_meta_build("project/Checksums.scala"));
        assert!(is_sbt_meta_build("modules/api/project/build.sbt"));
        assert!(!is_sbt_meta_build("build.sbt") && !is_sbt_meta_build("src/main/scala/project/Model.scala"));
        assert!(!is_excluded("src/currency/server.cpp"));
        assert!(is_excluded("src/test/java/AppTests.java"));
        assert!(!is_excluded("src/testing_utils.py"));
        for setup in ["src-ui/setup-jest.ts", "web/src/setupTests.js", "jest.setup.ts", "app/vitest.setup.mts"] {
            assert!(is_excluded(setup), "{setup}");
        }
        assert!(!is_excluded("src/setup.ts") && !is_excluded("setup.py"));
        assert!(is_excluded("src/scan/lang_tests/rust.rs"));
        assert!(is_excluded("src/extract/tests.rs"));
        assert!(is_excluded("integration_tests/api.go"));
        assert!(is_excluded("integration-tests/api.go"));
        assert!(is_excluded("oryx/watcherx/integrationtest/main.go"));
        assert!(!is_excluded("src/latest/api.go"));
        assert!(!is_excluded("backend/app/main.py"));
        assert!(is_entry_point("python", "svc/app.py", ""));
        assert!(is_entry_point("go", "cmd/main.go", "package main\nfunc main() {}"));
        assert!(!is_entry_point("go", "lib/x.go", "package lib\nfunc main() {}"));
        // Regression (moby/moby client/client.go): an example in the package's doc comment.
        let documented = "/*\nUsage:\n\n\tpackage main\n\n\tfunc main() {\n\t}\n*/\npackage client\n";
        assert!(!is_entry_point("go", "client/client.go", documented));
        assert!(!is_entry_point("go", "x/x.go", "package mainframe\nfunc main() {}"));
        assert!(is_entry_point("go", "cmd/x/main.go", "package main // import \"x\"\nfunc main() {}"));
        assert!(is_under("a/b/c.py", "a/b") && is_under("x.py", "") && !is_under("ab/c.py", "a"));
        assert_eq!(dir_of("a/b/c.py"), "a/b");
    }

    /// Regression: pruv's own `build.rs` reading CARGO_PKG_VERSION showed as a missing env var.
    #[test]
    fn cargo_build_scripts_are_not_the_program() {
        assert!(is_build_script("build.rs") && is_build_script("crates/x/build.rs"));
        assert!(!is_build_script("src/build.rs.txt") && !is_build_script("src/builder.rs"));
    }
}
