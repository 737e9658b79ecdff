//! An [`OutgoingMail`] as an RFC 5322 message: plain text with an HTML alternative.

use crate::ports::{OutgoingMail, SendError};
use anyhow::Context;
use lettre::Message;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

/// The message lettre sends; a malformed address is a permanent failure (retrying cannot fix it).
pub(super) fn build(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, SendError> {
    let to: Mailbox =
        mail.to.parse().with_context(|| format!("the address {:?}", mail.to)).map_err(SendError::Permanent)?;
    let mut builder = Message::builder()
        .message_id(Some(format!("<{}>", mail.message_id)))
        .from(from.clone())
        .to(to)
        .subject(mail.subject.as_str());
    if let Some(url) = &mail.list_unsubscribe {
        // RFC 8058: the mail program may POST "List-Unsubscribe=One-Click" to the address.
        builder = builder
            .header(ListUnsubscribe(format!("<{url}>")))
            .header(ListUnsubscribePost("List-Unsubscribe=One-Click".into()));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
        .context("building the message")
        .map_err(SendError::Permanent)
}

/// Defines a header lettre does not know, by its name; the value is written as given.
macro_rules! text_header {
    ($type:ident, $name:literal) => {
        #[derive(Debug, Clone)]
        struct $type(String);

        impl Header for $type {
            fn name() -> HeaderName {
                HeaderName::new_from_ascii_str($name)
            }

            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($type(s.to_string()))
            }

            fn display(&self) -> HeaderValue {
                HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}

text_header!(ListUnsubscribe, "List-Unsubscribe");
text_header!(ListUnsubscribePost, "List-Unsubscribe-Post");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_carries_its_id_and_both_parts() {
        let mail = OutgoingMail {
            message_id: "outbox-7@forum.test".into(),
            to: "kim@example.com".into(),
            subject: "비밀번호 재설정".into(),
            text: "plain body".into(),
            html: "<p>html body</p>".into(),
            list_unsubscribe: Some("https://forum.test/unsubscribe/abc".into()),
        };
        let from: Mailbox = "Forum <forum@example.com>".parse().unwrap();
        let raw = String::from_utf8(build(&from, &mail).unwrap().formatted()).unwrap();
        assert!(raw.contains("Message-ID: <outbox-7@forum.test>"), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("text/plain") && raw.contains("text/html"), "{raw}");
        assert!(raw.contains("List-Unsubscribe: <https://forum.test/unsubscribe/abc>"), "{raw}");
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{raw}");
    }

    #[test]
    fn a_malformed_address_is_permanent() {
        let mail = OutgoingMail {
            message_id: "x@y".into(),
            to: "not an address".into(),
            subject: String::new(),
            text: String::new(),
            html: String::new(),
            list_unsubscribe: None,
        };
        let from: Mailbox = "forum@example.com".parse().unwrap();
        assert!(matches!(build(&from, &mail), Err(SendError::Permanent(_))));
    }
}
