//! Implementations of [`crate::ports::MailSender`]: an SMTP client (lettre, rustls), and a
//! folder of `.eml` files for a forum run without a mail server.

mod folder;
mod message;
mod smtp;

pub use folder::MailFolder;
pub use smtp::{SmtpMailer, SmtpSecurity, SmtpSettings};
