//! An [`OutgoingMail`] as an RFC 5322 message: plain text with an HTML alternative.

use crate::ports::{OutgoingMail, SendError};
use anyhow::Context;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};

/// The message lettre sends; a malformed address is a permanent failure (retrying cannot fix it).
pub(super) fn build(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, SendError> {
    let to: Mailbox =
        mail.to.parse().with_context(|| format!("the address {:?}", mail.to)).map_err(SendError::Permanent)?;
    Message::builder()
        .message_id(Some(format!("<{}>", mail.message_id)))
        .from(from.clone())
        .to(to)
        .subject(mail.subject.as_str())
        .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
        .context("building the message")
        .map_err(SendError::Permanent)
}

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
        };
        let from: Mailbox = "Forum <forum@example.com>".parse().unwrap();
        let raw = String::from_utf8(build(&from, &mail).unwrap().formatted()).unwrap();
        assert!(raw.contains("Message-ID: <outbox-7@forum.test>"), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("text/plain") && raw.contains("text/html"), "{raw}");
    }

    #[test]
    fn a_malformed_address_is_permanent() {
        let mail = OutgoingMail {
            message_id: "x@y".into(),
            to: "not an address".into(),
            subject: String::new(),
            text: String::new(),
            html: String::new(),
        };
        let from: Mailbox = "forum@example.com".parse().unwrap();
        assert!(matches!(build(&from, &mail), Err(SendError::Permanent(_))));
    }
}
