//! Mail written as `.eml` files into a folder, for a forum run without `SMTP_URL`: a first run
//! works end to end (the log names each file), and nothing leaves the machine.

use super::message;
use crate::ports::{MailSender, OutgoingMail, SendError};
use anyhow::Context;
use async_trait::async_trait;
use lettre::message::Mailbox;
use std::path::PathBuf;

pub struct MailFolder {
    dir: PathBuf,
    from: Mailbox,
}

impl MailFolder {
    pub fn new(dir: PathBuf, from: Mailbox) -> Self {
        MailFolder { dir, from }
    }

    /// The file of one mail: named by its Message-ID, so a resent mail replaces itself.
    fn file_for(&self, mail: &OutgoingMail) -> PathBuf {
        let name: String =
            mail.message_id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        self.dir.join(format!("{name}.eml"))
    }
}

#[async_trait]
impl MailSender for MailFolder {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let raw = message::build(&self.from, mail)?.formatted();
        let path = self.file_for(mail);
        let written = async {
            tokio::fs::create_dir_all(&self.dir).await?;
            // Written beside and renamed, so a reader never sees half a mail.
            let partial = path.with_extension("eml.partial");
            tokio::fs::write(&partial, raw).await?;
            tokio::fs::rename(&partial, &path).await
        };
        written.await.with_context(|| format!("writing {}", path.display())).map_err(SendError::Transient)?;
        tracing::info!(file = %path.display(), to = %mail.to, subject = %mail.subject, "mail written to the mail folder");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_mail_becomes_one_file_named_by_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let folder = MailFolder::new(dir.path().join("mail"), "forum@example.com".parse().unwrap());
        let mail = OutgoingMail {
            message_id: "outbox-1@forum.test".into(),
            to: "kim@example.com".into(),
            subject: "hello".into(),
            text: "a link: http://forum.test/x".into(),
            html: "<p>a link</p>".into(),
            list_unsubscribe: None,
        };
        folder.send(&mail).await.unwrap();
        folder.send(&mail).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path().join("mail")).unwrap().collect();
        assert_eq!(files.len(), 1);
        let raw = std::fs::read_to_string(dir.path().join("mail/outbox-1_forum_test.eml")).unwrap();
        assert!(raw.contains("http://forum.test/x"));
    }
}
