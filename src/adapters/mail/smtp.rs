//! Mail through an SMTP server (lettre over rustls). `SMTP_URL` says where and how:
//! `smtp://host:port` requires STARTTLS, `smtps://host:port` is TLS from the first byte, and
//! `?tls=opportunistic` or `?tls=none` relax `smtp://` for a local or test server.

use super::message;
use crate::ports::{MailSender, OutgoingMail, SendError};
use anyhow::{Context, bail};
use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://`: STARTTLS, and no mail goes if the server does not offer it.
    StartTls,
    /// `smtp://…?tls=opportunistic`: STARTTLS when offered.
    Opportunistic,
    /// `smtp://…?tls=none`: plain text, for a server on the same machine or a test.
    None,
}

#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// User and password: from the URL, or the separate settings when the URL has none.
    pub credentials: Option<(String, String)>,
}

impl std::fmt::Debug for SmtpSettings {
    // The password never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .finish()
    }
}

fn decoded(part: &str) -> anyhow::Result<String> {
    Ok(url::form_urlencoded::parse(format!("x={part}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default())
}

impl SmtpSettings {
    /// Reads `SMTP_URL`; `user` and `password` (SMTP_USER, SMTP_PASSWORD) count when the URL names none.
    pub fn parse(smtp_url: &str, user: Option<&str>, password: Option<&str>) -> anyhow::Result<Self> {
        let url = url::Url::parse(smtp_url).context("SMTP_URL is not a URL")?;
        let host = url.host_str().filter(|host| !host.is_empty()).context("SMTP_URL names no host")?.to_string();
        let tls = url.query_pairs().find(|(key, _)| key == "tls").map(|(_, value)| value.into_owned());
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtps", None) => (SmtpSecurity::Implicit, 465),
            ("smtp", None | Some("required")) => (SmtpSecurity::StartTls, 587),
            ("smtp", Some("opportunistic")) => (SmtpSecurity::Opportunistic, 587),
            ("smtp", Some("none")) => (SmtpSecurity::None, 25),
            (scheme, tls) => {
                bail!("SMTP_URL: scheme {scheme:?} with tls={tls:?}; smtp:// or smtps://, tls=opportunistic|none")
            }
        };
        let credentials = if url.username().is_empty() {
            user.map(|user| (user.to_string(), password.unwrap_or_default().to_string()))
        } else {
            Some((decoded(url.username())?, decoded(url.password().unwrap_or_default())?))
        };
        Ok(SmtpSettings { host, port: url.port().unwrap_or(default_port), security, credentials })
    }
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(settings: &SmtpSettings, from: Mailbox) -> anyhow::Result<Self> {
        let tls = || TlsParameters::new(settings.host.clone()).context("TLS settings for the SMTP server");
        let tls = match settings.security {
            SmtpSecurity::Implicit => Tls::Wrapper(tls()?),
            SmtpSecurity::StartTls => Tls::Required(tls()?),
            SmtpSecurity::Opportunistic => Tls::Opportunistic(tls()?),
            SmtpSecurity::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.as_str())
            .port(settings.port)
            .tls(tls)
            // A server that hangs must not hold the outbox worker for long.
            .timeout(Some(Duration::from_secs(30)));
        if let Some((user, password)) = &settings.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(SmtpMailer { transport: builder.build(), from })
    }
}

#[async_trait]
impl MailSender for SmtpMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let message = message::build(&self.from, mail)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(error) if error.is_permanent() => Err(SendError::Permanent(error.into())),
            Err(error) => Err(SendError::Transient(error.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_and_tls_choose_the_security() {
        let parse = |url| SmtpSettings::parse(url, None, None).unwrap();
        assert_eq!((parse("smtp://mail.test").security, parse("smtp://mail.test").port), (SmtpSecurity::StartTls, 587));
        assert_eq!(parse("smtps://mail.test").security, SmtpSecurity::Implicit);
        assert_eq!(parse("smtps://mail.test").port, 465);
        assert_eq!(parse("smtp://127.0.0.1:2525?tls=none").security, SmtpSecurity::None);
        assert_eq!(parse("smtp://127.0.0.1:2525?tls=none").port, 2525);
        assert_eq!(parse("smtp://mail.test?tls=opportunistic").security, SmtpSecurity::Opportunistic);
        assert!(SmtpSettings::parse("http://mail.test", None, None).is_err());
        assert!(SmtpSettings::parse("smtps://mail.test?tls=none", None, None).is_err());
    }

    #[test]
    fn credentials_come_from_the_url_first() {
        let settings = SmtpSettings::parse("smtp://kim:p%40ss@mail.test", Some("other"), Some("x")).unwrap();
        assert_eq!(settings.credentials, Some(("kim".into(), "p@ss".into())));
        let settings = SmtpSettings::parse("smtp://mail.test", Some("lee"), Some("secret")).unwrap();
        assert_eq!(settings.credentials, Some(("lee".into(), "secret".into())));
        assert!(!format!("{settings:?}").contains("secret"));
    }
}
