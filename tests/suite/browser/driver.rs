//! Chromium through chromedriver (W3C WebDriver, via `fantoccini`), and the few actions a person takes:
//! open an address, find a field by the text of its `<label>`, type, click a button or a link by its name,
//! press Tab or Enter.
//!
//! One chromedriver process for the test process, started on a free port the first time a test needs it and
//! shut down (with every browser it started) when the last test holding it ends. Every [`Session`] gets its
//! own fresh Chromium profile (`--user-data-dir` in a temporary directory).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value as Json, json};
use tempfile::TempDir;

use super::tools::Tools;
use crate::common::temp_dir;

// ---------------------------------------------------------------------------------------------------------
// The chromedriver process
// ---------------------------------------------------------------------------------------------------------

/// A running chromedriver. Shut down (and its browsers with it) when the last `Arc` is dropped.
pub struct ChromeDriver {
    child: Mutex<Option<Child>>,
    port: u16,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    /// Parent of every session's `--user-data-dir`; removed after chromedriver has shut down (fields
    /// drop after `Drop::drop` has run).
    profiles: TempDir,
    log: Arc<Mutex<Vec<String>>>,
}

static SHARED: Mutex<Weak<ChromeDriver>> = Mutex::new(Weak::new());

/// The test process's chromedriver, started if no test holds one right now.
pub fn chromedriver(tools: &Tools) -> Arc<ChromeDriver> {
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(driver) = shared.upgrade() {
        return driver;
    }
    let driver = Arc::new(ChromeDriver::start(tools));
    *shared = Arc::downgrade(&driver);
    driver
}

impl ChromeDriver {
    fn start(tools: &Tools) -> ChromeDriver {
        let profiles = temp_dir("forum-browser-");
        let mut failures = Vec::new();
        for _attempt in 0..3 {
            let port = free_port();
            let log = Arc::new(Mutex::new(Vec::new()));
            let mut child = Command::new(&tools.chromedriver)
                .arg(format!("--port={port}"))
                .arg("--log-level=WARNING")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("start {}: {e}", tools.chromedriver.display()));
            for stream in [
                child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
                child.stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
            ]
            .into_iter()
            .flatten()
            {
                let log = Arc::clone(&log);
                std::thread::spawn(move || {
                    for line in BufReader::new(stream).lines().map_while(Result::ok) {
                        log.lock().unwrap_or_else(|e| e.into_inner()).push(line);
                    }
                });
            }
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                if let Ok(Some(status)) = child.try_wait() {
                    failures.push(format!(
                        "chromedriver on port {port} exited with {status}: {}",
                        log.lock().unwrap_or_else(|e| e.into_inner()).join("\n")
                    ));
                    break;
                }
                if http_get(port, "/status").is_some_and(|body| body.contains("\"ready\":true")) {
                    return ChromeDriver {
                        child: Mutex::new(Some(child)),
                        port,
                        url: format!("http://127.0.0.1:{port}"),
                        profiles,
                        log,
                    };
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    failures.push(format!("chromedriver on port {port} was not ready within 20 s"));
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!("could not start chromedriver:\n{}", failures.join("\n"));
    }

    /// A new directory for one browser profile.
    fn new_profile(&self) -> PathBuf {
        tempfile::Builder::new()
            .prefix("profile-")
            .tempdir_in(self.profiles.path())
            .expect("create a Chromium profile directory")
            .keep()
    }

    /// What chromedriver printed (for failure messages).
    pub fn log(&self) -> String {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).join("\n")
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // `/shutdown` makes chromedriver quit every browser it started before it exits.
        let _ = http_get(self.port, "/shutdown");
        if let Some(mut child) = self.child.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("find a free port")
}

/// A tiny blocking HTTP GET to chromedriver (for readiness and shutdown, outside any async runtime).
fn http_get(port: u16, path: &str) -> Option<String> {
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").ok()?;
    // chromedriver keeps the connection open after answering: read until the whole body is there.
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&data).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end].lines().find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().ok())?
            });
            if length.is_some_and(|n| data.len() >= end + 4 + n) {
                return Some(text[end + 4..].to_owned());
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return (!data.is_empty()).then(|| String::from_utf8_lossy(&data).into_owned()),
            Ok(n) => data.extend_from_slice(&chunk[..n]),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// A browser session
// ---------------------------------------------------------------------------------------------------------

/// Whether pages may run JavaScript. The forum needs none; the journeys run without it. Audits (axe-core)
/// and focus checks need a script of their own injected, so they use a second session with it on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Js {
    Off,
    On,
}

/// One Chromium window with a fresh profile, pointed at one forum server.
pub struct Session {
    pub client: Client,
    base: String,
    pub js: Js,
    driver: Arc<ChromeDriver>,
}

/// A chromedriver-specific command: run a Chrome DevTools Protocol method in the session's page.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Json,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}

impl Session {
    /// A new headless Chromium (1280×900) with a fresh profile, set to American English.
    pub async fn start(driver: &Arc<ChromeDriver>, tools: &Tools, base_url: &str, js: Js) -> Session {
        Session::start_in(driver, tools, base_url, js, "en-US").await
    }

    /// The same, with the browser's language set to `lang` (`ko-KR`): its user interface and the
    /// `Accept-Language` it sends.
    pub async fn start_in(driver: &Arc<ChromeDriver>, tools: &Tools, base_url: &str, js: Js, lang: &str) -> Session {
        let profile = driver.new_profile();
        let primary = lang.split('-').next().unwrap_or(lang);
        let mut prefs = json!({
            "credentials_enable_service": false,
            "profile.password_manager_enabled": false,
            "profile.password_manager_leak_detection": false,
            "intl.accept_languages": format!("{lang},{primary}"),
        });
        if js == Js::Off {
            prefs["profile.managed_default_content_settings.javascript"] = json!(2);
        }
        let args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-quic".to_owned(),
            "--disable-extensions".to_owned(),
            "--no-first-run".to_owned(),
            "--no-default-browser-check".to_owned(),
            "--hide-scrollbars".to_owned(),
            format!("--lang={lang}"),
            "--window-size=1280,900".to_owned(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let mut caps = Capabilities::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("pageLoadStrategy".into(), json!("normal"));
        caps.insert("goog:chromeOptions".into(), json!({ "binary": tools.chromium, "args": args, "prefs": prefs }));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| panic!("start a Chromium session: {e}\n--- chromedriver ---\n{}", driver.log()));
        Session { client, base: base_url.trim_end_matches('/').to_owned(), js, driver: Arc::clone(driver) }
    }

    /// End the session (closes the browser).
    pub async fn close(self) {
        let _ = self.client.close().await;
    }

    pub fn url_of(&self, path: &str) -> String {
        if path.starts_with("http") { path.to_owned() } else { format!("{}{}", self.base, path) }
    }

    // --- where we are -------------------------------------------------------------------------------------

    /// Open a path of the forum, as if typed into the address bar.
    pub async fn goto(&self, path: &str) {
        let url = self.url_of(path);
        self.client.goto(&url).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// The path (and query and fragment) of the current page.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        let mut path = url.path().to_owned();
        if let Some(q) = url.query() {
            path.push('?');
            path.push_str(q);
        }
        if let Some(f) = url.fragment() {
            path.push('#');
            path.push_str(f);
        }
        path
    }

    pub async fn title(&self) -> String {
        self.client.title().await.expect("page title")
    }

    /// The page's `<h1>` text.
    pub async fn h1(&self) -> String {
        self.text_of("h1").await.unwrap_or_else(|| String::from("(no h1)"))
    }

    /// The rendered text of the first element matching `css`, whitespace collapsed.
    pub async fn text_of(&self, css: &str) -> Option<String> {
        let el = self.client.find(Locator::Css(css)).await.ok()?;
        Some(collapse(&el.text().await.ok()?))
    }

    /// The rendered texts of all elements matching `css`.
    pub async fn texts_of(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for el in self.client.find_all(Locator::Css(css)).await.unwrap_or_default() {
            out.push(collapse(&el.text().await.unwrap_or_default()));
        }
        out
    }

    /// Everything a sighted person reads on the page.
    pub async fn page_text(&self) -> String {
        self.text_of("body").await.unwrap_or_default()
    }

    /// Where we are and what the page says, for assertion messages.
    pub async fn context(&self) -> String {
        let text: String = self.page_text().await.chars().take(2000).collect();
        format!("at {} (title {:?}):\n{text}", self.path().await, self.title().await)
    }

    pub async fn has(&self, css: &str) -> bool {
        !self.client.find_all(Locator::Css(css)).await.unwrap_or_default().is_empty()
    }

    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el,
            Err(e) => panic!("no element {css:?}: {e}\n{}", self.context().await),
        }
    }

    // --- what a person does -------------------------------------------------------------------------------

    /// Do something that loads a new page (a click on a link or a submit button, Enter in a field) and
    /// wait until the new page has replaced the old one and finished loading.
    async fn navigating(&self, what: &str, act: impl std::future::Future<Output = ()>) {
        let old = self.client.find(Locator::Css("html")).await.expect("the page's <html>");
        act.await;
        let deadline = Instant::now() + Duration::from_secs(20);
        // The old document's <html> goes stale once the new page is there.
        while old.tag_name().await.is_ok() {
            if Instant::now() > deadline {
                panic!("{what} did not load a new page within 20 s\n{}", self.context().await);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        loop {
            let state = self.client.execute("return document.readyState", vec![]).await.unwrap_or_default();
            if state == json!("complete") {
                break;
            }
            if Instant::now() > deadline {
                panic!("{what}: the new page did not finish loading within 20 s\n{}", self.context().await);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The form control a `<label>` with exactly this text (whitespace collapsed) points at with `for`.
    /// There must be exactly one such label: two fields named alike would confuse a screen reader user too.
    pub async fn field(&self, label: &str) -> Element {
        let xpath = format!("//label[normalize-space(.)={}]", xpath_literal(label));
        let labels = self.client.find_all(Locator::XPath(&xpath)).await.unwrap_or_default();
        if labels.len() != 1 {
            let all = self.texts_of("label").await;
            panic!(
                "expected exactly one <label> {label:?}, found {}; labels on the page: {all:?}\n{}",
                labels.len(),
                self.context().await
            );
        }
        let target = labels[0]
            .attr("for")
            .await
            .expect("read label[for]")
            .unwrap_or_else(|| panic!("the label {label:?} has no `for` attribute"));
        match self.client.find(Locator::Css(&format!("[id=\"{target}\"]"))).await {
            Ok(el) => el,
            Err(_) => panic!("the label {label:?} points at #{target}, which does not exist\n{}", self.context().await),
        }
    }

    /// Type `text` into the field labelled `label`, replacing what it held.
    pub async fn fill(&self, label: &str, text: &str) {
        let field = self.field(label).await;
        field.clear().await.unwrap_or_else(|e| panic!("clear the field {label:?}: {e}"));
        field.send_keys(text).await.unwrap_or_else(|e| panic!("type into the field {label:?}: {e}"));
    }

    /// Submit the form that holds the field labelled `label` with its button called `button`
    /// (other forms on the page, such as the site search, may have a button of the same name).
    pub async fn submit_form_of(&self, label: &str, button: &str) {
        let field = self.field(label).await;
        let xpath = format!("./ancestor::form//button[normalize-space(.)={}]", xpath_literal(button));
        let button_el = field
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("the form of the field {label:?} has no button {button:?}: {e}"));
        self.navigating(&format!("the button {button:?}"), async {
            button_el.click().await.unwrap_or_else(|e| panic!("click the button {button:?}: {e}"));
        })
        .await;
    }

    /// The control called `name` in the form that posts to `action`: how a page is filled in whatever
    /// language its labels are in (the English labels are checked by `field`).
    pub async fn named_field(&self, action: &str, name: &str) -> Element {
        self.find(&format!("form[action=\"{action}\"] [name=\"{name}\"]")).await
    }

    /// Type `text` into the control `name` of the form that posts to `action`.
    pub async fn fill_named(&self, action: &str, name: &str, text: &str) {
        let field = self.named_field(action, name).await;
        field.clear().await.unwrap_or_else(|e| panic!("clear the field {name:?}: {e}"));
        field.send_keys(text).await.unwrap_or_else(|e| panic!("type into the field {name:?}: {e}"));
    }

    /// Press the submit button of the form that posts to `action` (such forms have one).
    pub async fn submit_form_to(&self, action: &str) {
        let button = self.find(&format!("form[action=\"{action}\"] button[type=submit]")).await;
        self.navigating(&format!("the button of the form to {action}"), async {
            button.click().await.unwrap_or_else(|e| panic!("click the button of the form to {action}: {e}"));
        })
        .await;
    }

    /// Press Enter in the field labelled `label` (submits its form, as in any browser).
    pub async fn enter_in(&self, label: &str) {
        let field = self.field(label).await;
        self.navigating(&format!("Enter in {label:?}"), async {
            field
                .send_keys(&String::from(char::from(Key::Enter)))
                .await
                .unwrap_or_else(|e| panic!("press Enter in {label:?}: {e}"));
        })
        .await;
    }

    /// Visible elements matching an XPath.
    async fn visible(&self, xpath: &str) -> Vec<Element> {
        let mut out = Vec::new();
        for el in self.client.find_all(Locator::XPath(xpath)).await.unwrap_or_default() {
            if el.is_displayed().await.unwrap_or(false) {
                out.push(el);
            }
        }
        out
    }

    /// The first visible button whose text (its accessible name here) is exactly `name`.
    pub async fn button(&self, name: &str) -> Element {
        let xpath = format!("//button[normalize-space(.)={}]", xpath_literal(name));
        match self.visible(&xpath).await.into_iter().next() {
            Some(el) => el,
            None => {
                let all = self.texts_of("button").await;
                panic!("no visible button {name:?}; buttons: {all:?}\n{}", self.context().await)
            }
        }
    }

    /// Is there a visible button called `name`?
    pub async fn has_button(&self, name: &str) -> bool {
        !self.visible(&format!("//button[normalize-space(.)={}]", xpath_literal(name))).await.is_empty()
    }

    /// Click the button called `name` and wait for the page it leads to.
    pub async fn click_button(&self, name: &str) {
        let button = self.button(name).await;
        self.navigating(&format!("the button {name:?}"), async {
            button.click().await.unwrap_or_else(|e| panic!("click the button {name:?}: {e}"));
        })
        .await;
    }

    /// The first visible link whose text is exactly `name`.
    pub async fn link(&self, name: &str) -> Element {
        let xpath = format!("//a[@href][normalize-space(.)={}]", xpath_literal(name));
        match self.visible(&xpath).await.into_iter().next() {
            Some(el) => el,
            None => {
                let all = self.texts_of("a").await;
                panic!("no visible link {name:?}; links: {all:?}\n{}", self.context().await)
            }
        }
    }

    pub async fn has_link(&self, name: &str) -> bool {
        !self.visible(&format!("//a[@href][normalize-space(.)={}]", xpath_literal(name))).await.is_empty()
    }

    /// Click the link called `name` and wait for the page it leads to.
    pub async fn click_link(&self, name: &str) {
        let link = self.link(name).await;
        self.navigating(&format!("the link {name:?}"), async {
            link.click().await.unwrap_or_else(|e| panic!("click the link {name:?}: {e}"));
        })
        .await;
    }

    /// Click an element found some other way (a row of a list, say) that leads to a new page.
    pub async fn follow(&self, el: Element, what: &str) {
        self.navigating(what, async {
            el.click().await.unwrap_or_else(|e| panic!("click {what}: {e}"));
        })
        .await;
    }

    /// Press and release one key (Tab, Enter …) wherever the focus is.
    pub async fn press(&self, key: Key) {
        let value: char = key.into();
        let keys = KeyActions::new("keyboard".to_owned()).then(KeyAction::Down { value }).then(KeyAction::Up { value });
        self.client.perform_actions(keys).await.unwrap_or_else(|e| panic!("press {key:?}: {e}"));
    }

    /// The element that has the focus (`document.activeElement`).
    pub async fn focused(&self) -> Element {
        self.client.active_element().await.expect("the active element")
    }

    // --- scripts and DevTools (only in a session with JavaScript on, for audits) ----------------------------

    /// Run a script in the page and return its value.
    pub async fn js(&self, script: &str, args: Vec<Json>) -> Json {
        assert_eq!(self.js, Js::On, "scripts run only in the audit session (JavaScript on)");
        match self.client.execute(script, args).await {
            Ok(v) => v,
            Err(e) => panic!("script failed: {e}\n{script}"),
        }
    }

    /// Run a script that calls `arguments[arguments.length - 1]` with its result when done.
    pub async fn js_async(&self, script: &str, args: Vec<Json>) -> Json {
        assert_eq!(self.js, Js::On, "scripts run only in the audit session (JavaScript on)");
        match self.client.execute_async(script, args).await {
            Ok(v) => v,
            Err(e) => panic!("async script failed: {e}\n{script}"),
        }
    }

    /// A Chrome DevTools Protocol command (`Emulation.setEmulatedMedia`, `Page.captureScreenshot` …).
    pub async fn cdp(&self, cmd: &str, params: Json) -> Json {
        match self.client.issue_cmd(Cdp { cmd: cmd.to_owned(), params }).await {
            Ok(v) => v,
            Err(e) => panic!("CDP {cmd} failed: {e}\n--- chromedriver ---\n{}", self.driver.log()),
        }
    }

    /// Emulate `prefers-color-scheme: dark` (or light).
    pub async fn color_scheme(&self, scheme: &str) {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "media": "", "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )
        .await;
    }

    /// Make the page `width` CSS pixels wide, as a phone of that width would (viewport meta honoured).
    pub async fn viewport(&self, width: u32, height: u32, mobile: bool) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        )
        .await;
    }

    /// Back to the window's own size.
    pub async fn reset_viewport(&self) {
        self.cdp("Emulation.clearDeviceMetricsOverride", json!({})).await;
    }

    /// A PNG of the whole page (not only the visible part).
    pub async fn full_page_png(&self) -> Vec<u8> {
        use base64::Engine;
        let shot = self.cdp("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true })).await;
        let data = shot["data"].as_str().expect("screenshot data");
        base64::engine::general_purpose::STANDARD.decode(data).expect("screenshot is base64")
    }

    /// A login cookie (copied from an HTTP client that logged in) for this browser, on the forum's host.
    pub async fn set_cookie(&self, name: &str, value: &str) {
        let set = self
            .cdp(
                "Network.setCookie",
                json!({ "name": name, "value": value, "url": format!("{}/", self.base), "path": "/",
                        "httpOnly": true, "sameSite": "Lax" }),
            )
            .await;
        assert_ne!(set.get("success"), Some(&json!(false)), "the browser refused the cookie {name}");
    }

    /// Forget every cookie (a logged-out visitor).
    pub async fn clear_cookies(&self) {
        self.cdp("Network.clearBrowserCookies", json!({})).await;
    }
}

/// An XPath string literal for any text.
fn xpath_literal(s: &str) -> String {
    if !s.contains('"') {
        format!("\"{s}\"")
    } else if !s.contains('\'') {
        format!("'{s}'")
    } else {
        let parts: Vec<String> = s.split('"').map(|p| format!("\"{p}\"")).collect();
        format!("concat({})", parts.join(", '\"', "))
    }
}

pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
