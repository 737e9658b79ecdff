//! The two outside judges: axe-core (injected into a page of a session with JavaScript on) and the W3C
//! Nu HTML checker (`vnu.jar`, run with Java on the HTML exactly as the server sent it). Also where the
//! tests write what they produce (`test-artifacts/`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value as Json, json};

use super::driver::{Js, Session};
use super::tools::Tools;

/// The axe-core tags of the WCAG 2.0, 2.1 and 2.2 success criteria at levels A and AA.
pub const WCAG_AA_TAGS: [&str; 6] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

/// `test-artifacts/` at the top of the project (ignored by git; CI keeps it). Created if missing.
pub fn artifacts(sub: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts").join(sub);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

/// The axe-core source, read once per test.
pub fn axe_source(tools: &Tools) -> String {
    std::fs::read_to_string(&tools.axe_js).unwrap_or_else(|e| panic!("read {}: {e}", tools.axe_js.display()))
}

/// Put axe-core into the current page (again after every navigation).
pub async fn inject_axe(s: &Session, axe_js: &str) {
    let kind = s.js(&format!("{axe_js}\n;return typeof window.axe;"), vec![]).await;
    assert_eq!(kind, json!("object"), "axe-core did not load into the page");
}

/// One rule broken on a page, with the elements that break it.
#[derive(Debug, Clone)]
pub struct Violation {
    pub rule: String,
    pub impact: String,
    pub help: String,
    pub nodes: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} ({}): {}", self.rule, self.impact, self.help)?;
        for node in &self.nodes {
            writeln!(f, "      {node}")?;
        }
        Ok(())
    }
}

/// Run axe-core on the current page with the WCAG 2.x A/AA rules (or only `rules`), injecting it first.
/// Returns the violations and the number of checks axe could not decide ("incomplete", for the record).
pub async fn axe(s: &Session, axe_js: &str, rules: Option<&[&str]>) -> (Vec<Violation>, usize) {
    assert_eq!(s.js, Js::On, "axe runs in the session with JavaScript on");
    if s.js("return typeof window.axe;", vec![]).await != json!("object") {
        inject_axe(s, axe_js).await;
    }
    let options = match rules {
        Some(rules) => json!({ "runOnly": { "type": "rule", "values": rules } }),
        None => json!({ "runOnly": { "type": "tag", "values": WCAG_AA_TAGS } }),
    };
    let script = r#"
        const done = arguments[arguments.length - 1];
        const options = arguments[0];
        window.axe.run(document, options).then(result => done({
            violations: result.violations.map(v => ({
                id: v.id, impact: v.impact || "", help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " ")
                    + " — " + n.html.slice(0, 200)),
            })),
            incomplete: result.incomplete.reduce((sum, r) => sum + r.nodes.length, 0),
        })).catch(error => done({ error: String(error) }));
    "#;
    let result = s.js_async(script, vec![options]).await;
    if let Some(error) = result.get("error") {
        panic!("axe-core failed: {error}");
    }
    let violations = result["violations"]
        .as_array()
        .expect("axe violations")
        .iter()
        .map(|v| Violation {
            rule: v["id"].as_str().unwrap_or_default().to_owned(),
            impact: v["impact"].as_str().unwrap_or_default().to_owned(),
            help: v["help"].as_str().unwrap_or_default().to_owned(),
            nodes: v["nodes"]
                .as_array()
                .map(|n| n.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
                .unwrap_or_default(),
        })
        .collect();
    (violations, result["incomplete"].as_u64().unwrap_or(0) as usize)
}

/// One message of the Nu HTML checker.
#[derive(Debug, Clone)]
pub struct VnuMessage {
    pub file: String,
    pub line: u64,
    pub message: String,
    pub extract: String,
}

/// Check HTML files (and CSS files, by extension) with the W3C Nu HTML checker; returns every error.
pub fn vnu(tools: &Tools, files: &[PathBuf]) -> Vec<VnuMessage> {
    assert!(!files.is_empty(), "nothing to check");
    let output = Command::new(&tools.java)
        .arg("-Xss8m")
        .arg("-jar")
        .arg(&tools.vnu_jar)
        .args(["--errors-only", "--also-check-css", "--format", "json", "--stdout"])
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("run java -jar {}: {e}", tools.vnu_jar.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "the Nu HTML checker did not print JSON ({e}); status {:?}\n--- stdout ---\n{stdout}\n--- stderr ---\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    });
    report["messages"]
        .as_array()
        .expect("vnu messages")
        .iter()
        .filter(|m| m["type"] != json!("info"))
        .map(|m| VnuMessage {
            file: m["url"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_owned(),
            line: m["lastLine"].as_u64().unwrap_or(0),
            message: format!(
                "{}: {}",
                m["type"].as_str().unwrap_or("error"),
                m["message"].as_str().unwrap_or_default()
            ),
            extract: m["extract"].as_str().unwrap_or_default().replace('\n', "⏎"),
        })
        .collect()
}

/// WCAG relative luminance contrast of two CSS colours given as `rgb(…)`/`rgba(…)`; `None` if unparsable.
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    fn luminance(color: &str) -> Option<f64> {
        let inner = color.split_once('(')?.1.trim_end_matches(')');
        let parts: Vec<f64> =
            inner.split([',', ' ', '/']).filter(|p| !p.is_empty()).filter_map(|p| p.parse().ok()).collect();
        if parts.len() < 3 {
            return None;
        }
        let channel = |c: f64| {
            let c = c / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        Some(0.2126 * channel(parts[0]) + 0.7152 * channel(parts[1]) + 0.0722 * channel(parts[2]))
    }
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}
