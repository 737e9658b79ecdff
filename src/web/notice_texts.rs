//! The words of notification mails, in the member's language (their chosen one, else the
//! forum's default), from locales/*/notifications.ftl.

use super::i18n::Lang;
use super::notifications::kind_line;
use crate::app::notice_mail::{MailLinks, MailNotice, MailText, NoticeTexts};
use crate::ports::NotificationRow;
use askama::Template;

pub struct LocalisedNoticeTexts {
    /// The forum's language for members who chose none (`FORUM_LANGUAGE`).
    pub default: Lang,
}

/// The HTML part, made by an askama template: it escapes every value (titles and names are
/// whatever members typed) and says the mail's language, as the account mails do.
#[derive(Template)]
#[template(path = "mail/notice.html")]
struct NoticeHtml<'a> {
    lang: &'static str,
    subject: &'a str,
    intro: Option<&'a str>,
    /// (the notification's line, the link to its item)
    items: Vec<(String, String)>,
    open_label: &'a str,
    unsubscribe: &'a str,
    unsubscribe_label: &'a str,
}

fn line(lang: Lang, row: &NotificationRow) -> String {
    let someone = lang.t("notifications-someone");
    let actor = row.actor_name.as_deref().unwrap_or(&someone);
    lang.ta2(kind_line(row.kind), "actor", actor, "title", &row.post_title)
}

fn item_link(base_url: &str, row: &NotificationRow) -> String {
    match row.comment_id {
        Some(comment_id) => format!("{base_url}/posts/{}#comment-{comment_id}", row.post_id),
        None => format!("{base_url}/posts/{}", row.post_id),
    }
}

impl NoticeTexts for LocalisedNoticeTexts {
    fn mail(&self, language: Option<&str>, notice: MailNotice<'_>, links: &MailLinks<'_>) -> MailText {
        let lang = language.and_then(Lang::from_tag).unwrap_or(self.default);
        let rows: &[NotificationRow] = match notice {
            MailNotice::One(row) => std::slice::from_ref(row),
            MailNotice::Digest(rows) => rows,
        };
        let (subject, intro) = match notice {
            MailNotice::One(row) => (lang.ta("notifications-mail-subject", "line", &line(lang, row)), None),
            MailNotice::Digest(rows) => {
                (lang.tn("notifications-digest-subject", rows.len() as i64), Some(lang.t("notifications-digest-intro")))
            }
        };
        let items: Vec<(String, String)> =
            rows.iter().map(|row| (line(lang, row), item_link(links.base_url, row))).collect();
        let mut text = String::new();
        if let Some(intro) = &intro {
            text.push_str(&format!("{intro}\n\n"));
        }
        for (line, link) in &items {
            text.push_str(&format!("- {line}\n  {}\n", lang.ta("notifications-mail-open", "link", link)));
        }
        text.push_str(&format!("\n-- \n{}\n", lang.ta("notifications-mail-footer", "link", links.unsubscribe)));
        let html = NoticeHtml {
            lang: lang.code(),
            subject: &subject,
            intro: intro.as_deref(),
            items,
            open_label: &lang.t("notifications-mail-open-link"),
            unsubscribe: links.unsubscribe,
            unsubscribe_label: &lang.t("notifications-mail-footer-link"),
        };
        // The template is part of the program and renders plain values; should it ever fail,
        // the text part still carries everything.
        let html = html.render().unwrap_or_else(|error| {
            tracing::error!(%error, "the notification mail's HTML part could not be rendered");
            String::new()
        });
        MailText { subject, text, html }
    }
}
