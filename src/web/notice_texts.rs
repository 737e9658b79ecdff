//! The words of notification mails, in the member's language (their chosen one, else the
//! forum's default), from locales/*/notifications.ftl.

use super::i18n::Lang;
use super::notifications::kind_line;
use crate::app::notice_mail::{MailLinks, MailNotice, MailText, NoticeTexts};
use crate::ports::NotificationRow;

pub struct LocalisedNoticeTexts {
    /// The forum's language for members who chose none (`FORUM_LANGUAGE`).
    pub default: Lang,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
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
        let mut text = String::new();
        let mut html = String::from("<!doctype html><html><body>");
        if let Some(intro) = &intro {
            text.push_str(&format!("{intro}\n\n"));
            html.push_str(&format!("<p>{}</p>", escape(intro)));
        }
        html.push_str("<ul>");
        for row in rows {
            let link = item_link(links.base_url, row);
            let line = line(lang, row);
            text.push_str(&format!("- {line}\n  {}\n", lang.ta("notifications-mail-open", "link", &link)));
            html.push_str(&format!(
                r#"<li>{} — <a href="{}">{}</a></li>"#,
                escape(&line),
                escape(&link),
                escape(&lang.t("notifications-mail-open-link"))
            ));
        }
        html.push_str("</ul>");
        text.push_str(&format!("\n-- \n{}\n", lang.ta("notifications-mail-footer", "link", links.unsubscribe)));
        html.push_str(&format!(
            r#"<p><small><a href="{}">{}</a></small></p></body></html>"#,
            escape(links.unsubscribe),
            escape(&lang.t("notifications-mail-footer-link"))
        ));
        MailText { subject, text, html }
    }
}
