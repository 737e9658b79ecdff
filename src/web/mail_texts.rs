//! The words of the forum's mails, in the recipient's language: plain text, and HTML made by
//! an askama template, which escapes every value (a user's name is whatever they typed).

use super::i18n::{Lang, Msg};
use crate::ports::{MailComposer, MailKind, MailWords};
use askama::Template;

#[derive(Template)]
#[template(path = "mail/message.html")]
struct MailHtml<'a> {
    lang: &'static str,
    subject: &'a str,
    greeting: &'a str,
    before: &'a [String],
    /// (href, the words of the link)
    link: Option<(&'a str, String)>,
    after: &'a [String],
}

/// The composer the App is given: the forum's default language when a user chose none and the
/// request named none.
pub struct MailTexts {
    pub default: Lang,
}

/// A mail's parts before they are put together.
struct Parts<'a> {
    subject: Msg,
    greeting: Msg,
    before: Vec<Msg>,
    link: Option<(&'a str, Msg)>,
    after: Vec<Msg>,
}

fn parts<'a>(kind: &MailKind<'a>) -> Parts<'a> {
    match *kind {
        MailKind::PasswordReset { name, link, minutes } => Parts {
            subject: Msg::new("mail-reset-subject"),
            greeting: Msg::new("mail-greeting").with("name", name),
            before: vec![Msg::new("mail-reset-body").num("minutes", minutes)],
            link: Some((link, Msg::new("mail-reset-link"))),
            after: vec![Msg::new("mail-reset-not-you")],
        },
        MailKind::VerifyEmail { name, link, hours } => Parts {
            subject: Msg::new("mail-verify-subject"),
            greeting: Msg::new("mail-greeting").with("name", name),
            before: vec![Msg::new("mail-verify-body").num("hours", hours)],
            link: Some((link, Msg::new("mail-verify-link"))),
            after: vec![Msg::new("mail-verify-not-you")],
        },
        MailKind::EmailChanged { name, new_email } => Parts {
            subject: Msg::new("mail-changed-subject"),
            greeting: Msg::new("mail-greeting").with("name", name),
            before: vec![Msg::new("mail-changed-body").with("email", new_email)],
            link: None,
            after: vec![Msg::new("mail-changed-not-you")],
        },
    }
}

impl MailComposer for MailTexts {
    fn compose(&self, kind: &MailKind<'_>, language: Option<&str>) -> MailWords {
        let lang = language.and_then(Lang::from_tag).unwrap_or(self.default);
        let parts = parts(kind);
        let say = |msgs: &[Msg]| msgs.iter().map(|msg| lang.msg(msg)).collect::<Vec<_>>();
        let subject = lang.msg(&parts.subject);
        let greeting = lang.msg(&parts.greeting);
        let (before, after) = (say(&parts.before), say(&parts.after));
        let link = parts.link.map(|(href, label)| (href, lang.msg(&label)));
        let mut text = vec![greeting.clone()];
        text.extend(before.iter().cloned());
        if let Some((href, label)) = &link {
            text.push(format!("{label}:\n{href}"));
        }
        text.extend(after.iter().cloned());
        let html = MailHtml {
            lang: lang.code(),
            subject: &subject,
            greeting: &greeting,
            before: &before,
            link,
            after: &after,
        };
        // The template is part of the program and renders plain values; should it ever fail,
        // the text part still carries everything.
        let html = html.render().unwrap_or_else(|error| {
            tracing::error!(%error, "the mail's HTML part could not be rendered");
            String::new()
        });
        MailWords { subject, text: text.join("\n\n") + "\n", html }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_in_the_html_part_and_words_follow_the_language() {
        let texts = MailTexts { default: Lang::En };
        let kind = MailKind::PasswordReset { name: "<b>eve</b>", link: "http://f/password/reset/x", minutes: 60 };
        let mail = texts.compose(&kind, Some("ko"));
        assert!(mail.html.contains("&#60;b&#62;eve&#60;/b&#62;"), "{}", mail.html);
        assert!(!mail.html.contains("<b>eve"));
        assert!(mail.text.contains("<b>eve</b>"));
        assert!(mail.text.contains("http://f/password/reset/x"));
        assert!(mail.html.contains("lang=\"ko\""));
        assert_ne!(mail.subject, texts.compose(&kind, None).subject);
    }
}
