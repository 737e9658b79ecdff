//! Finding the programs the browser tests need, and deciding what happens when one is missing.
//!
//! Needed: Debian's `chromium` and `chromedriver`, `java`, and the npm packages of `package.json`
//! (`node_modules/axe-core/axe.min.js`, `node_modules/vnu-jar/build/dist/vnu.jar`).
//! `bash scripts/test` installs all of them (`ensure_browser_tools`) and sets `FORUM_REQUIRE_BROWSER=1`.
//!
//! Without them a plain `cargo test` prints one "skipped: …" line per test and passes; with
//! `FORUM_REQUIRE_BROWSER=1` a missing tool fails the test instead.

use std::path::{Path, PathBuf};

/// The programs and files the browser tests use.
#[derive(Clone, Debug)]
pub struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
    pub java: PathBuf,
    /// `node_modules/axe-core/axe.min.js`
    pub axe_js: PathBuf,
    /// `node_modules/vnu-jar/build/dist/vnu.jar`
    pub vnu_jar: PathBuf,
}

/// Is a missing tool a failure (`FORUM_REQUIRE_BROWSER=1`, set by `scripts/test`) rather than a skip?
pub fn required() -> bool {
    std::env::var("FORUM_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// The tools, or `None` after printing why the test `test` is skipped.
/// Panics instead when `FORUM_REQUIRE_BROWSER=1`.
pub fn tools_or_skip(test: &str) -> Option<Tools> {
    match find() {
        Ok(tools) => Some(tools),
        Err(missing) => {
            let what = missing.join("; ");
            if required() {
                panic!(
                    "{test}: FORUM_REQUIRE_BROWSER=1 but the browser test tools are missing: {what}. \
                     `bash scripts/test` installs them (apt-get install chromium chromium-driver \
                     default-jre-headless; npm ci)."
                );
            }
            // Written to the real stderr, not through `eprintln!`, so that libtest's output capture does not
            // hide it: a plain `cargo test` shows which browser tests did not run.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr().lock(),
                "{test}: skipped: chromium/chromedriver/node_modules not found ({what}); run bash scripts/test"
            );
            None
        }
    }
}

/// Every tool, or the list of what is missing.
pub fn find() -> Result<Tools, Vec<String>> {
    let mut missing = Vec::new();
    let mut program = |env: &str, names: &[&str], package: &str| -> PathBuf {
        if let Some(path) = std::env::var_os(env).map(PathBuf::from) {
            if path.is_file() {
                return path;
            }
            missing.push(format!("{env}={} is not a file", path.display()));
            return PathBuf::new();
        }
        match names.iter().find_map(|name| on_path(name)) {
            Some(path) => path,
            None => {
                missing.push(format!("{} not on PATH (Debian package {package})", names[0]));
                PathBuf::new()
            }
        }
    };
    let chromium = program("FORUM_CHROMIUM", &["chromium", "chromium-browser"], "chromium");
    let chromedriver = program("FORUM_CHROMEDRIVER", &["chromedriver"], "chromium-driver");
    let java = program("FORUM_JAVA", &["java"], "default-jre-headless");

    let node_modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules");
    let axe_js = node_modules.join("axe-core/axe.min.js");
    let vnu_jar = node_modules.join("vnu-jar/build/dist/vnu.jar");
    for file in [&axe_js, &vnu_jar] {
        if !file.is_file() {
            missing.push(format!("{} missing (npm ci)", file.display()));
        }
    }
    if missing.is_empty() { Ok(Tools { chromium, chromedriver, java, axe_js, vnu_jar }) } else { Err(missing) }
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
