//! Password reset and verified addresses, against a real SMTP server (tests/smtp_sink.py): the
//! links are followed from the mails as a person would, on both backends.

use crate::common::content::category_id;
use crate::common::ftl::message;
use crate::common::mail_sink::{MailSink, ReceivedMail};
use crate::common::{Browser, PASSWORD, ServerOptions, TestServer};
use reqwest::StatusCode;
use std::time::Duration;

/// The forum's address as its mails link to it; the tests take the path and ask the real server.
const BASE: &str = "http://forum.test";
const WAIT: Duration = Duration::from_secs(15);
/// How long to wait to be sure a mail does not come (the worker looks every 2 s, and is woken
/// at once by a commit of its own process).
const QUIET: Duration = Duration::from_secs(3);
const NEW_PASSWORD: &str = "a brand new password 42";

pub(crate) fn options(sink: &MailSink) -> ServerOptions {
    TestServer::options().env("SMTP_URL", &sink.smtp_url()).env("FORUM_BASE_URL", BASE)
}

/// The path of the first link in the mail that starts with `BASE` + `prefix`.
pub(crate) fn link_path(mail: &ReceivedMail, prefix: &str) -> String {
    let link = mail
        .link_starting(&format!("{BASE}{prefix}"))
        .unwrap_or_else(|| panic!("no {prefix} link in the mail {:?}:\n{}", mail.subject, mail.text));
    link.strip_prefix(BASE).unwrap().to_owned()
}

/// The `n`-th mail (counting from 1) to `address`, waiting for it.
pub(crate) async fn nth_mail(sink: &MailSink, address: &str, n: usize) -> ReceivedMail {
    let mails = sink.wait_for(address, n, WAIT).await;
    assert!(mails.len() >= n, "{address} should have {n} mails, has {}: {:?}", mails.len(), subjects(&mails));
    mails[n - 1].clone()
}

fn subjects(mails: &[ReceivedMail]) -> Vec<String> {
    mails.iter().map(|mail| mail.subject.clone()).collect()
}

/// Opens the verification link of the `n`-th mail to `address` and presses its button.
pub(crate) async fn verify_from_mail(b: &Browser, sink: &MailSink, address: &str, n: usize) {
    let path = link_path(&nth_mail(sink, address, n).await, "/email/verify/");
    b.get(&path).await.expect_status(StatusCode::OK);
    b.post_form(&path, &[]).await.expect_redirect("/");
}

/// A member whose address is verified (their first mail is the verification link).
async fn verified_user(server: &TestServer, sink: &MailSink, name: &str, email: &str) -> Browser {
    let b = server.user(name, email).await;
    verify_from_mail(&b, sink, email, 1).await;
    b
}

async fn ask_reset(b: &Browser, name_or_email: &str) {
    b.post_form("/password/forgot", &[("name", name_or_email)]).await.expect_redirect("/password/forgot/sent");
}

#[tokio::test]
async fn a_password_is_reset_by_the_mailed_link_once_and_every_session_ends() {
    let sink = MailSink::start();
    let server = options(&sink).start().await;
    let alice = verified_user(&server, &sink, "alice", "alice@example.com").await;
    let other_session = server.browser();
    other_session.login("alice", PASSWORD).await.expect_status(StatusCode::SEE_OTHER);

    let visitor = server.browser();
    let login = visitor.get("/login").await;
    assert!(login.attrs("a", "href").contains(&"/password/forgot".to_owned()), "the login page links to the reset");
    visitor.get("/password/forgot").await.expect_status(StatusCode::OK);
    ask_reset(&visitor, "ALICE@example.com").await;
    let mail = nth_mail(&sink, "alice@example.com", 2).await;
    assert_eq!(mail.subject, "Reset your password");
    assert!(mail.html.contains("alice") && mail.html.contains("/password/reset/"), "{}", mail.html);
    assert!(mail.header("From").is_some_and(|from| from.contains("forum@localhost")), "{:?}", mail.header("From"));
    let path = link_path(&mail, "/password/reset/");

    visitor.get(&path).await.expect_status(StatusCode::OK);
    let mismatch = visitor.post_form(&path, &[("password1", NEW_PASSWORD), ("password2", "something else")]).await;
    mismatch.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let done = visitor.post_form(&path, &[("password1", NEW_PASSWORD), ("password2", NEW_PASSWORD)]).await;
    done.expect_redirect("/login");

    server.browser().login("alice", PASSWORD).await.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    server.browser().login("alice", NEW_PASSWORD).await.expect_status(StatusCode::SEE_OTHER);
    for session in [&alice, &other_session] {
        let settings = session.get("/settings").await;
        assert_ne!(settings.status, StatusCode::OK, "a session from before the reset is over");
    }
    // Single use: the link is spent.
    visitor.get(&path).await.expect_status(StatusCode::GONE);
    let again =
        visitor.post_form(&path, &[("password1", "yet another password"), ("password2", "yet another password")]);
    again.await.expect_status(StatusCode::GONE);
    server.browser().login("alice", NEW_PASSWORD).await.expect_status(StatusCode::SEE_OTHER);
    visitor.get("/password/reset/made-up-token").await.expect_status(StatusCode::GONE);
}

#[tokio::test]
async fn an_expired_reset_link_is_refused() {
    let sink = MailSink::start();
    let server = options(&sink).env("FORUM_RESET_LINK_SECONDS", "1").start().await;
    let _alice = verified_user(&server, &sink, "alice", "alice@example.com").await;
    ask_reset(&server.browser(), "alice").await;
    let path = link_path(&nth_mail(&sink, "alice@example.com", 2).await, "/password/reset/");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let b = server.browser();
    b.get(&path).await.expect_status(StatusCode::GONE);
    b.post_form(&path, &[("password1", NEW_PASSWORD), ("password2", NEW_PASSWORD)])
        .await
        .expect_status(StatusCode::GONE);
    b.login("alice", PASSWORD).await.expect_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn unknown_names_and_unverified_addresses_get_the_same_answer_and_no_mail() {
    let sink = MailSink::start();
    let server = options(&sink).start().await;
    let _alice = verified_user(&server, &sink, "alice", "alice@example.com").await;
    let _bob = server.user("bob", "bob@example.com").await;
    nth_mail(&sink, "bob@example.com", 1).await;

    let b = server.browser();
    let known = b.post_form("/password/forgot", &[("name", "alice")]).await;
    let unknown = b.post_form("/password/forgot", &[("name", "nobody-at-all")]).await;
    let unverified = b.post_form("/password/forgot", &[("name", "bob")]).await;
    for page in [&known, &unknown, &unverified] {
        page.expect_redirect("/password/forgot/sent");
    }
    let sent = b.get("/password/forgot/sent").await;
    sent.expect_status(StatusCode::OK);
    assert!(sent.visible_text().contains("a mail with a link is on its way"), "{}", sent.visible_text());
    nth_mail(&sink, "alice@example.com", 2).await;
    tokio::time::sleep(QUIET).await;
    let to_bob = sink.wait_for("bob@example.com", 2, Duration::ZERO).await;
    assert_eq!(subjects(&to_bob), ["Confirm your email address"], "an unverified address gets only its verification");
    assert_eq!(sink.received().len(), 3, "nothing else was sent: {:?}", subjects(&sink.received()));
}

#[tokio::test]
async fn reset_requests_are_rate_limited_with_the_same_answer() {
    let sink = MailSink::start();
    let server = options(&sink).env("FORUM_RATE_LIMITS", "on").env("FORUM_LIMIT_RESET_ACCOUNT", "2/1h").start().await;
    let _alice = verified_user(&server, &sink, "alice", "alice@example.com").await;
    let b = server.browser();
    for _ in 0..4 {
        ask_reset(&b, "alice").await;
    }
    nth_mail(&sink, "alice@example.com", 3).await;
    tokio::time::sleep(QUIET).await;
    let mails = sink.wait_for("alice@example.com", 9, Duration::ZERO).await;
    assert_eq!(mails.len(), 3, "one verification and two resets: {:?}", subjects(&mails));
}

#[tokio::test]
async fn addresses_are_verified_on_sign_up_and_after_a_change_and_the_old_one_is_told() {
    let sink = MailSink::start();
    let server = options(&sink).start().await;
    let carol = server.user("carol", "carol@example.com").await;
    let first = nth_mail(&sink, "carol@example.com", 1).await;
    assert_eq!(first.subject, "Confirm your email address");
    let old_link = link_path(&first, "/email/verify/");
    let settings = carol.get("/settings").await;
    assert!(settings.text("#email-status").unwrap().contains("not confirmed"), "{:?}", settings.text("#email-status"));

    // A new address before the first was verified: the old link is void, the old address not told.
    carol.post_form("/settings/profile", &[("name", "carol"), ("email", "carol@new.example")]).await;
    carol.post_form(&old_link, &[]).await.expect_status(StatusCode::GONE);
    verify_from_mail(&carol, &sink, "carol@new.example", 1).await;
    let settings = carol.get("/settings").await;
    assert_eq!(settings.text("#email-status").as_deref(), Some("Your email address is confirmed."));
    assert_eq!(
        sink.wait_for("carol@example.com", 2, Duration::ZERO).await.len(),
        1,
        "the unverified old address heard nothing"
    );

    // From a verified address to a third: the verified one hears of it, the new one gets a link.
    carol.post_form("/settings/profile", &[("name", "carol"), ("email", "carol@third.example")]).await;
    let notice = nth_mail(&sink, "carol@new.example", 2).await;
    assert_eq!(notice.subject, "Your email address was changed");
    assert!(notice.text.contains("carol@third.example"), "{}", notice.text);
    let settings = carol.get("/settings").await;
    assert!(settings.text("#email-status").unwrap().contains("not confirmed"));
    // Sent again on request: a second link to the new address, and it works.
    carol.post_form("/settings/email/verify", &[]).await.expect_redirect("/settings");
    verify_from_mail(&carol, &sink, "carol@third.example", 2).await;
    let settings = carol.get("/settings").await;
    assert_eq!(settings.text("#email-status").as_deref(), Some("Your email address is confirmed."));
}

#[tokio::test]
async fn a_reset_asked_while_the_mail_server_is_down_goes_out_once_it_is_back() {
    let mut sink = MailSink::start();
    let server = options(&sink).env("FORUM_MAIL_RETRY_SECONDS", "1").start().await;
    let _alice = verified_user(&server, &sink, "alice", "alice@example.com").await;
    sink.stop();
    ask_reset(&server.browser(), "alice").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    sink.start_again();
    let reset = nth_mail(&sink, "alice@example.com", 2).await;
    assert_eq!(reset.subject, "Reset your password");
    tokio::time::sleep(QUIET).await;
    let mails = sink.wait_for("alice@example.com", 3, Duration::ZERO).await;
    assert_eq!(mails.len(), 2, "the reset went exactly once: {:?}", subjects(&mails));
    assert_eq!(reset.to, "alice@example.com");
    assert_ne!(mails[0].message_id, mails[1].message_id, "each mail has a Message-ID of its own");
    assert!(reset.message_id.ends_with("@forum.test"), "{}", reset.message_id);
}

#[tokio::test]
async fn two_instances_send_each_mail_once() {
    let sink = MailSink::start();
    let first = options(&sink).start().await;
    let second = first.another_instance().await;
    let mut addresses = Vec::new();
    for i in 0..6 {
        let server = if i % 2 == 0 { &first } else { &second };
        let address = format!("member{i}@example.com");
        server.user(&format!("member{i}"), &address).await;
        addresses.push(address);
    }
    for address in &addresses {
        nth_mail(&sink, address, 1).await;
    }
    tokio::time::sleep(QUIET).await;
    for address in &addresses {
        assert_eq!(sink.wait_for(address, 2, Duration::ZERO).await.len(), 1, "{address} got its mail once");
    }
    let files = std::fs::read_dir(sink.folder()).unwrap().count();
    assert_eq!(files, addresses.len(), "the SMTP server received one mail per account");
    drop(second);
}

#[tokio::test]
async fn posting_can_require_a_verified_address() {
    let sink = MailSink::start();
    let server = options(&sink).start().await;
    let admin = server.user("admin", "admin@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let rust = category_id(&admin, "Rust").await;
    bob.create_post(rust, "Before the rule", "allowed").await;
    bob.post_form("/admin/mail/settings", &[("require_verified", "on")]).await.expect_status(StatusCode::FORBIDDEN);
    admin.post_form("/admin/mail/settings", &[("require_verified", "on")]).await.expect_redirect("/admin/mail");

    let refused = bob.submit_post(&rust.to_string(), "After the rule", "kept text").await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.visible_text().contains("Confirm your email address before you post"),
        "{}",
        refused.visible_text()
    );
    assert!(refused.body.contains("kept text"), "what bob typed is kept");
    verify_from_mail(&bob, &sink, "bob@example.com", 1).await;
    bob.create_post(rust, "After the rule", "now allowed").await;
}

#[tokio::test]
async fn the_admin_sees_a_failed_mail_and_sends_it_again() {
    let mut sink = MailSink::not_started();
    let server = options(&sink).env("FORUM_MAIL_MAX_ATTEMPTS", "1").start().await;
    let admin = server.user("admin", "admin@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    bob.get("/admin/mail").await.expect_status(StatusCode::FORBIDDEN);
    let mut page = admin.get("/admin/mail").await;
    for _ in 0..100 {
        if page.texts("table.failed-mail tbody tr").len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        page = admin.get("/admin/mail").await;
    }
    let rows = page.texts("table.failed-mail tbody tr");
    assert_eq!(rows.len(), 2, "both verification mails failed: {rows:?}");
    assert!(rows.iter().any(|row| row.contains("bob@example.com") && row.contains("Confirm your email address")));
    let ids = page.attrs("table.failed-mail input[name=id]", "value");
    let bob_row = rows.iter().position(|row| row.contains("bob@example.com")).unwrap();

    sink.start_again();
    admin.post_form("/admin/mail/resend", &[("id", &ids[bob_row])]).await.expect_redirect("/admin/mail");
    let mail = nth_mail(&sink, "bob@example.com", 1).await;
    assert_eq!(mail.subject, "Confirm your email address");
    let page = admin.get("/admin/mail").await;
    assert_eq!(page.texts("table.failed-mail tbody tr").len(), 1, "bob's mail is no longer failed");
    admin.post_form("/admin/mail/resend", &[("id", &ids[bob_row])]).await.expect_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn mails_are_in_the_recipients_language() {
    let sink = MailSink::start();
    let server = options(&sink).start().await;
    let korean = Browser::speaking(&server, "ko");
    korean.signup("minji", "minji@example.com", PASSWORD).await.expect_redirect("/");
    let first = nth_mail(&sink, "minji@example.com", 1).await;
    assert_eq!(first.subject, "이메일 주소 인증 안내", "the language of the page that signed up");
    assert!(first.html.contains("lang=\"ko\""));
    verify_from_mail(&korean, &sink, "minji@example.com", 1).await;
    // Her own choice of English wins over the language of the page that asks for the reset.
    korean.post_form("/settings/preferences", &[("language", "en"), ("time_zone", "")]).await;
    ask_reset(&Browser::speaking(&server, "ko"), "minji").await;
    let reset = nth_mail(&sink, "minji@example.com", 2).await;
    assert_eq!(reset.subject, "Reset your password");
}

/// The lines of a mail's text part that say something, trimmed.
fn text_lines(mail: &ReceivedMail) -> Vec<String> {
    mail.text.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect()
}

#[tokio::test]
async fn a_korean_member_is_mailed_the_reset_in_korean_word_for_word() {
    let sink = MailSink::start();
    let server = options(&sink).start().await;
    let korean = Browser::speaking(&server, "ko");
    korean.signup("minji", "minji@example.com", PASSWORD).await.expect_redirect("/");
    verify_from_mail(&korean, &sink, "minji@example.com", 1).await;
    // Her language is her setting (a page's language is only how the page was asked for).
    let saved = korean.post_form("/settings/preferences", &[("language", "ko"), ("time_zone", "")]).await;
    saved.expect_status(reqwest::StatusCode::SEE_OTHER);
    // Asked for from a page in English: the mail follows her language, not the asker's.
    ask_reset(&server.browser(), "minji").await;
    let mail = nth_mail(&sink, "minji@example.com", 2).await;
    let ko = |id: &str, args: &[(&str, &str)]| message("ko", "mail", id, args);

    assert_eq!(mail.subject, ko("mail-reset-subject", &[]));
    let link = format!("{BASE}{}", link_path(&mail, "/password/reset/"));
    let (greeting, body, label, not_you) = (
        ko("mail-greeting", &[("name", "minji")]),
        ko("mail-reset-body", &[("minutes", "60")]),
        ko("mail-reset-link", &[]),
        ko("mail-reset-not-you", &[]),
    );
    assert_eq!(text_lines(&mail), [greeting.clone(), body.clone(), format!("{label}:"), link.clone(), not_you.clone()]);
    assert!(mail.html.contains(r#"<html lang="ko">"#), "{}", mail.html);
    for paragraph in [greeting, body, not_you] {
        assert!(mail.html.contains(&format!("<p>{paragraph}</p>")), "{paragraph} in {}", mail.html);
    }
    assert!(mail.html.contains(&format!(r#"<a href="{link}">{label}</a>"#)), "{}", mail.html);
}
