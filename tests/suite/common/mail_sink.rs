//! A real SMTP server of a test's own (Debian's aiosmtpd, tests/smtp_sink.py) and what it received.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mail_parser::MessageParser;
use tempfile::TempDir;

/// One mail as the SMTP server received it, decoded.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub envelope_to: String,
    pub to: String,
    pub subject: String,
    pub message_id: String,
    /// Every header line, unfolded, as `name: value`, for checks of headers such as List-Unsubscribe.
    pub headers: Vec<(String, String)>,
    pub text: String,
    pub html: String,
}

impl ReceivedMail {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The first link in the plain text part that starts with `prefix` (e.g. the forum's base URL and `/reset/`).
    pub fn link_starting(&self, prefix: &str) -> Option<String> {
        let start = self.text.find(prefix)?;
        let link: String = self.text[start..].chars().take_while(|c| !c.is_whitespace() && *c != '>').collect();
        Some(link)
    }
}

/// `/usr/bin/python3 tests/smtp_sink.py PORT FOLDER`, on a free loopback port; it can be stopped and
/// started again on the same port (a mail server that goes down and comes back).
pub struct MailSink {
    port: u16,
    folder: TempDir,
    child: Option<Child>,
}

impl MailSink {
    pub fn start() -> MailSink {
        let mut sink = MailSink::not_started();
        sink.start_again();
        sink
    }

    /// A handle for a port where the server will be started later (the mail server is down).
    pub fn not_started() -> MailSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        MailSink { port, folder: super::temp_dir("mail-sink"), child: None }
    }

    /// For the forum's SMTP_URL: plain SMTP on loopback, no STARTTLS (the test server has no certificate).
    pub fn smtp_url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    pub fn folder(&self) -> &Path {
        self.folder.path()
    }

    pub fn start_again(&mut self) {
        assert!(self.child.is_none(), "already running");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_sink.py");
        let child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(self.port.to_string())
            .arg(self.folder.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "run /usr/bin/python3 tests/smtp_sink.py (Debian package python3-aiosmtpd; scripts/test installs it)",
            );
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "the SMTP sink did not listen on port {}", self.port);
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every mail received so far, oldest first (the sink names its files by the time received).
    pub fn received(&self) -> Vec<ReceivedMail> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.folder.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
            .collect();
        files.sort();
        files.iter().map(|path| parse(&std::fs::read(path).unwrap())).collect()
    }

    /// The mails to `address`, waiting up to `timeout` until there are at least `count`.
    pub async fn wait_for(&self, address: &str, count: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            let mails: Vec<ReceivedMail> =
                self.received().into_iter().filter(|mail| mail.envelope_to.eq_ignore_ascii_case(address)).collect();
            if mails.len() >= count || Instant::now() >= deadline {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        self.stop();
    }
}

fn parse(raw: &[u8]) -> ReceivedMail {
    let message = MessageParser::default().parse(raw).expect("a mail the parser can read");
    let headers = message
        .headers_raw()
        .map(|(name, value)| (name.to_string(), value.split_whitespace().collect::<Vec<_>>().join(" ")))
        .collect::<Vec<_>>();
    let envelope_to = headers.iter().find(|(n, _)| n == "X-Envelope-To").map(|(_, v)| v.clone()).unwrap_or_default();
    let to =
        message.to().and_then(|to| to.first()).and_then(|address| address.address()).unwrap_or_default().to_string();
    ReceivedMail {
        envelope_to,
        to,
        subject: message.subject().unwrap_or_default().to_string(),
        message_id: message.message_id().unwrap_or_default().to_string(),
        headers,
        text: message.body_text(0).map(|text| text.into_owned()).unwrap_or_default(),
        html: message.body_html(0).map(|html| html.into_owned()).unwrap_or_default(),
    }
}
