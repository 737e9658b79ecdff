//! The admin's mail page: failed mails sent again, the outbox's counts, and the choice to
//! require a verified address before posting.

use super::mail_setup::REQUIRE_VERIFIED_SETTING;
use super::{App, CommandError, CommandResult, acting};
use crate::domain::Timestamp;
use crate::domain::policy::{AdminWork, can_administer};
use crate::ports::{FailedMail, MailCounts, MailOutbox, SessionUser};
use std::sync::Arc;

impl App {
    fn outbox(&self) -> CommandResult<&Arc<dyn MailOutbox>> {
        self.mail.outbox.as_ref().ok_or(CommandError::NotFound)
    }

    async fn acting_admin(&self, admin: &SessionUser) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, admin).await?;
        can_administer(actor.role, AdminWork::Mail)?;
        Ok(())
    }

    /// The failed mails and the counts, for an admin.
    pub async fn mail_overview(&self, admin: &SessionUser) -> CommandResult<(Vec<FailedMail>, MailCounts)> {
        self.acting_admin(admin).await?;
        let outbox = self.outbox()?;
        Ok((outbox.failed_mail().await?, outbox.mail_counts().await?))
    }

    /// Makes a failed mail due again; NotFound if it is not (or no longer) failed.
    pub async fn resend_mail(&self, admin: &SessionUser, id: i64) -> CommandResult<()> {
        self.acting_admin(admin).await?;
        if self.outbox()?.resend_mail(id, Timestamp::now()).await? {
            tracing::info!(id, by = admin.user_id.0, "a failed mail is due again");
            Ok(())
        } else {
            Err(CommandError::NotFound)
        }
    }

    pub async fn set_verification_required(&self, admin: &SessionUser, required: bool) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, admin).await?;
        can_administer(actor.role, AdminWork::Mail)?;
        tx.put_setting(REQUIRE_VERIFIED_SETTING, if required { "on" } else { "off" }).await?;
        tx.commit().await?;
        Ok(())
    }
}
