//! Notifications: each kind in the forum, none for one's own writes, @mentions, muting a thread,
//! the list (open, mark all read, keyset pages), the header's count, and mail: at once for a
//! kind switched on, none when off or to an unverified address, one-click unsubscribe, and the
//! digest sent once across two instances.

use crate::common::content::{SOME_TEXT, category_id};
use crate::common::ftl::message;
use crate::common::mail_sink::{MailSink, ReceivedMail};
use crate::common::{Browser, Page, TestServer};
use crate::mail::{options, verify_from_mail};
use reqwest::StatusCode;
use std::time::Duration;

/// alice, bob and carol, and a post by alice in "Rust": (alice, bob, carol, rust, post).
async fn a_post(server: &TestServer) -> (Browser, Browser, Browser, i64, i64) {
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let carol = server.user("carol", "carol@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let post = alice.create_post(rust, "A post to discuss", SOME_TEXT).await;
    (alice, bob, carol, rust, post)
}

/// The lines of the member's first page of notifications, newest first, and which are unread.
async fn entries(b: &Browser) -> Vec<(String, bool)> {
    let page = b.get("/notifications").await;
    page.expect_status(StatusCode::OK);
    let html = page.html();
    let item = scraper::Selector::parse("ul.notifications li").unwrap();
    html.select(&item)
        .map(|li| {
            let text = li.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
            (text, li.value().classes().any(|c| c == "notification-unread"))
        })
        .collect()
}

/// The unread count in the header of a page, 0 when none is shown.
fn header_count(page: &Page) -> i64 {
    page.text(".nav-notifications .unread-count")
        .map(|text| text.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap())
        .unwrap_or(0)
}

/// The ids of the open forms of the list, newest first.
fn open_ids(page: &Page) -> Vec<i64> {
    page.attrs("ul.notifications form", "action")
        .iter()
        .map(|action| action.trim_start_matches("/notifications/").trim_end_matches("/open").parse().unwrap())
        .collect()
}

/// The mails to `address` after the first, which is the verification link every member is
/// sent at sign-up: waits for `count` of them.
async fn notices(sink: &MailSink, address: &str, count: usize, timeout: Duration) -> Vec<ReceivedMail> {
    sink.wait_for(address, count + 1, timeout).await.into_iter().skip(1).collect()
}

/// Sets how each kind named comes by mail ("off", "immediate", "digest").
async fn mail_settings(b: &Browser, choices: &[(&str, &str)]) {
    b.post_form("/settings/notifications", choices).await.expect_redirect("/settings");
}

#[tokio::test]
async fn each_kind_is_notified_and_never_of_ones_own_writes() {
    let server = TestServer::start().await;
    let (alice, bob, carol, _rust, post) = a_post(&server).await;
    let mia = server.moderator("mia").await;

    bob.add_comment(post, "First!").await;
    assert_eq!(entries(&alice).await.len(), 1);
    assert!(entries(&alice).await[0].0.contains("bob commented on your post “A post to discuss”"));
    assert!(entries(&bob).await.is_empty(), "not of one's own comment");

    let (c2, _) = carol.add_comment(post, "Second").await;
    let bobs = entries(&bob).await;
    assert_eq!(bobs.len(), 1, "{bobs:?}");
    assert!(bobs[0].0.contains("carol replied in “A post to discuss”"), "{bobs:?}");
    assert_eq!(entries(&alice).await.len(), 2);

    // The post's author commenting: the others hear of a reply, she of nothing.
    alice.add_comment(post, "Thanks, both").await;
    assert_eq!(entries(&alice).await.len(), 2, "not of her own comment");
    assert_eq!(entries(&bob).await.len(), 2);
    assert_eq!(entries(&carol).await.len(), 1);

    // A moderator's delete and restore of carol's comment; carol deleting her own is no news.
    mia.delete_comment(c2).await.expect_status(StatusCode::SEE_OTHER);
    mia.restore_comment(c2).await.expect_status(StatusCode::SEE_OTHER);
    let carols = entries(&carol).await;
    assert_eq!(carols.len(), 3, "{carols:?}");
    assert!(carols[0].0.contains("A moderator (mia)"), "{carols:?}");
    carol.delete_comment(c2).await.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(entries(&carol).await.len(), 3, "not of her own delete");
    mia.delete_post(post).await.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(entries(&alice).await.len(), 3, "the post's author hears of a moderator's delete");
    assert!(entries(&mia).await.is_empty());
}

#[tokio::test]
async fn a_mention_links_to_the_member_and_notifies_them() {
    let server = TestServer::start().await;
    let (alice, bob, _carol, rust, _post) = a_post(&server).await;
    let post = bob.create_post(rust, "Hello", "Thanks @alice, @nobody and @bob for kim@example.com").await;
    let page = alice.post_page(post).await;
    assert!(page.has(r#".post-body a[href="/users/alice"]"#), "{}", page.body_excerpt());
    assert!(!page.has(r#".post-body a[href="/users/nobody"]"#), "an unknown name is not linked");
    assert!(page.visible_text().contains("@nobody"));
    let alices = entries(&alice).await;
    assert_eq!(alices.len(), 1);
    assert!(alices[0].0.contains("bob mentioned you in “Hello”"), "{alices:?}");
    assert!(entries(&bob).await.is_empty(), "no notice of mentioning oneself");
    // In a comment too.
    let (cid, _) = alice.add_comment(post, "@bob see this").await;
    let page = bob.post_page(post).await;
    assert!(
        page.has(&format!(r#"li[id="comment-{cid}"] .comment-body a[href="/users/bob"]"#)),
        "{}",
        page.body_excerpt()
    );
    assert_eq!(entries(&bob).await.len(), 1, "told once (of the comment on his post)");
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn an_edit_that_adds_a_mention_tells_only_the_newly_mentioned_once() {
    let server = TestServer::start().await;
    let (alice, bob, carol, _rust, post) = a_post(&server).await;
    let edited = |b: Page| {
        b.expect_status(StatusCode::SEE_OTHER);
    };
    edited(alice.edit_post(post, "A post to discuss", &format!("{SOME_TEXT} Over to @carol")).await);
    assert_eq!(entries(&carol).await.len(), 1);
    edited(
        alice.edit_post(post, "A post to discuss", &format!("{SOME_TEXT} Over to @carol and @Bob, and @alice")).await,
    );
    let bobs = entries(&bob).await;
    assert_eq!(bobs.len(), 1, "{bobs:?}");
    assert!(bobs[0].0.contains("alice mentioned you in “A post to discuss”"), "{bobs:?}");
    assert_eq!(entries(&carol).await.len(), 1, "carol was mentioned by the previous version already");
    assert!(entries(&alice).await.is_empty(), "not of naming herself");
    let opened =
        bob.post_form(&format!("/notifications/{}/open", open_ids(&bob.get("/notifications").await)[0]), &[]).await;
    opened.expect_redirect(&format!("/posts/{post}"));

    // The same text again, another case of the name, or a retitle: nobody is told again.
    alice.edit_post(post, "A post to discuss", &format!("{SOME_TEXT} Over to @carol and @Bob, and @alice")).await;
    edited(alice.edit_post(post, "Retitled", &format!("{SOME_TEXT} Over to @carol and @bob")).await);
    assert_eq!(entries(&bob).await.len(), 1);
    assert_eq!(entries(&carol).await.len(), 1);

    // A comment likewise, linking to the comment.
    let (comment, _) = carol.add_comment(post, "A thought").await;
    assert_eq!(entries(&bob).await.len(), 1, "bob has not commented: no reply notice");
    carol.edit_comment(comment, "A thought for @bob").await.expect_status(StatusCode::SEE_OTHER);
    let bobs = entries(&bob).await;
    assert_eq!(bobs.len(), 2, "{bobs:?}");
    assert!(bobs[0].0.contains("carol mentioned you in “Retitled”"), "{bobs:?}");
    let opened =
        bob.post_form(&format!("/notifications/{}/open", open_ids(&bob.get("/notifications").await)[0]), &[]).await;
    opened.expect_redirect(&format!("/posts/{post}?page=1#comment-{comment}"));
    carol.edit_comment(comment, "A thought for @bob").await;
    carol.edit_comment(comment, "A better thought for @bob").await.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(entries(&bob).await.len(), 2, "the previous version named him already");
    assert_eq!(header_count(&bob.get("/").await), 0, "both were opened; no new ones");
}

#[tokio::test]
async fn an_edit_of_a_removed_item_tells_no_one() {
    // alice, the first member, is the admin: she may still see and edit her removed writing.
    let server = TestServer::start().await;
    let (alice, bob, _carol, _rust, post) = a_post(&server).await;
    let mia = server.moderator("mia").await;
    let (comment, _) = alice.add_comment(post, "Plain words").await;
    mia.delete_comment(comment).await.expect_status(StatusCode::SEE_OTHER);
    alice.edit_comment(comment, "Plain words for @bob").await.expect_status(StatusCode::SEE_OTHER);
    mia.delete_post(post).await.expect_status(StatusCode::SEE_OTHER);
    alice.edit_post(post, "A post to discuss", "Hidden words for @bob").await.expect_status(StatusCode::SEE_OTHER);
    assert!(entries(&bob).await.is_empty(), "{:?}", entries(&bob).await);
}

#[tokio::test]
async fn an_edit_mentioning_a_member_mails_them_as_their_settings_say() {
    let sink = MailSink::start();
    let server = options(&sink).start().await;
    let (alice, bob, _carol, _rust, post) = a_post(&server).await;
    verify_from_mail(&bob, &sink, "bob@example.com", 1).await;
    mail_settings(&bob, &[("mention", "immediate")]).await;
    alice.edit_post(post, "A post to discuss", "Now for @bob").await.expect_status(StatusCode::SEE_OTHER);
    let mails = notices(&sink, "bob@example.com", 1, Duration::from_secs(15)).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject.contains("alice mentioned you"), "{}", mails[0].subject);
    assert!(mails[0].link_starting("http").is_some_and(|link| link.contains(&format!("/posts/{post}"))));
    alice.edit_post(post, "A post to discuss", "Now for @bob, again").await.expect_status(StatusCode::SEE_OTHER);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(notices(&sink, "bob@example.com", 2, Duration::ZERO).await.len(), 1, "mailed once");
}

#[tokio::test]
async fn muting_a_thread_stops_its_reply_notifications() {
    let server = TestServer::start().await;
    let (_alice, bob, carol, _rust, post) = a_post(&server).await;
    bob.add_comment(post, "Me first").await;
    let page = bob.post_page(post).await;
    assert_eq!(page.text(&format!(r#"form[action="/posts/{post}/mute"] button"#)).as_deref(), Some("Mute this thread"));
    bob.post_form(&format!("/posts/{post}/mute"), &[("muted", "1")]).await.expect_redirect(&format!("/posts/{post}"));
    let page = bob.post_page(post).await;
    assert_eq!(
        page.text(&format!(r#"form[action="/posts/{post}/mute"] button"#)).as_deref(),
        Some("Unmute this thread")
    );
    carol.add_comment(post, "A reply bob muted").await;
    assert!(entries(&bob).await.is_empty(), "muted");
    bob.post_form(&format!("/posts/{post}/mute"), &[("muted", "0")]).await;
    carol.add_comment(post, "A reply bob hears of").await;
    assert_eq!(entries(&bob).await.len(), 1, "unmuted");
}

#[tokio::test]
async fn opening_marks_read_and_goes_to_the_item_and_all_can_be_marked_read() {
    let server = TestServer::start().await;
    let (alice, bob, _carol, _rust, post) = a_post(&server).await;
    let (c1, _) = bob.add_comment(post, "One").await;
    bob.add_comment(post, "Two").await;
    let home = alice.get("/").await;
    assert_eq!(header_count(&home), 2, "the header counts the unread");
    assert_eq!(header_count(&bob.get("/").await), 0);

    let list = alice.get("/notifications").await;
    let ids = open_ids(&list);
    assert_eq!(ids.len(), 2);
    let oldest = ids[1];
    let opened = alice.post_form(&format!("/notifications/{oldest}/open"), &[]).await;
    opened.expect_redirect(&format!("/posts/{post}?page=1#comment-{c1}"));
    assert_eq!(entries(&alice).await.iter().map(|(_, unread)| *unread).collect::<Vec<_>>(), vec![true, false]);
    assert_eq!(header_count(&alice.get("/").await), 1, "the count drops at once");
    // Not another member's.
    bob.post_form(&format!("/notifications/{oldest}/open"), &[]).await.expect_status(StatusCode::NOT_FOUND);

    alice.post_form("/notifications/read-all", &[]).await.expect_redirect("/notifications");
    assert!(entries(&alice).await.iter().all(|(_, unread)| !unread));
    assert_eq!(header_count(&alice.get("/").await), 0);
    // Opening needs a POST: a GET changes nothing.
    alice.get(&format!("/notifications/{oldest}/open")).await.expect_status(StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn the_list_is_paged_by_keyset() {
    let server = TestServer::start().await;
    let (alice, bob, _carol, _rust, post) = a_post(&server).await;
    for i in 0..23 {
        bob.add_comment(post, &format!("Comment {i}")).await;
    }
    let first = alice.get("/notifications").await;
    let first_ids = open_ids(&first);
    assert_eq!(first_ids.len(), 20);
    assert!(first_ids.windows(2).all(|w| w[0] > w[1]), "newest first");
    let next = first.attrs(r#"a[rel="next"]"#, "href");
    assert_eq!(next, vec![format!("/notifications?before={}", first_ids[19])]);
    let second = alice.get(&next[0]).await;
    let second_ids = open_ids(&second);
    assert_eq!(second_ids.len(), 3);
    assert!(second_ids[0] < first_ids[19]);
    assert!(!second.has(r#"a[rel="next"]"#), "the last page");
    assert_eq!(header_count(&second), 23);
}

#[tokio::test]
async fn mail_goes_at_once_for_a_kind_switched_on_only_to_a_verified_address() {
    let sink = MailSink::start();
    let server = options(&sink).start().await;
    let (alice, bob, carol, rust, post) = a_post(&server).await;
    verify_from_mail(&alice, &sink, "alice@example.com", 1).await;
    mail_settings(&alice, &[("comment", "immediate"), ("mention", "off")]).await;
    mail_settings(&bob, &[("comment", "immediate"), ("reply", "immediate")]).await; // bob is not verified

    bob.add_comment(post, "A comment alice is mailed about").await;
    let mails = notices(&sink, "alice@example.com", 1, Duration::from_secs(15)).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.subject.contains("bob commented on your post"), "{}", mail.subject);
    assert!(mail.to.contains("alice@example.com") && !mail.message_id.is_empty());
    let item = mail.link_starting("http").expect("a link to the item");
    assert!(item.contains(&format!("/posts/{post}#comment-")), "{}", mail.text);
    assert!(sink.folder().exists());
    assert!(!mail.html.is_empty());
    let unsubscribe = mail.header("List-Unsubscribe").expect("a List-Unsubscribe header").to_owned();
    assert_eq!(mail.header("List-Unsubscribe-Post"), Some("List-Unsubscribe=One-Click"));

    // A kind switched off, and a member without a verified address: no mail.
    bob.create_post(rust, "For alice", "Dear @alice").await;
    carol.add_comment(post, "Alice is mailed, bob (unverified) is not").await;
    assert_eq!(entries(&alice).await.len(), 3, "the mention is in the forum");
    assert_eq!(entries(&bob).await.len(), 1, "bob is told in the forum");
    let mails = notices(&sink, "alice@example.com", 2, Duration::from_secs(15)).await;
    assert_eq!(mails.len(), 2);
    assert!(mails[1].subject.contains("carol commented"), "{}", mails[1].subject);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(notices(&sink, "alice@example.com", 3, Duration::ZERO).await.len(), 2, "no mail for a mention");
    assert!(notices(&sink, "bob@example.com", 1, Duration::ZERO).await.is_empty(), "not to an unverified address");

    // The link: a GET shows a confirm button and changes nothing; the one-click POST turns it off.
    let url = unsubscribe.trim_start_matches('<').trim_end_matches('>');
    let path = &url[url.find("/unsubscribe/").expect("an unsubscribe link")..];
    let anonymous = server.browser();
    let confirm = anonymous.get(path).await;
    confirm.expect_status(StatusCode::OK);
    assert!(confirm.has(&format!(r#"form[method="post"][action="{path}"] button"#)));
    bob.add_comment(post, "Mailed: the GET changed nothing").await;
    assert_eq!(notices(&sink, "alice@example.com", 3, Duration::from_secs(15)).await.len(), 3);
    let done =
        anonymous.post_raw(path, "application/x-www-form-urlencoded", b"List-Unsubscribe=One-Click".to_vec()).await;
    done.expect_status(StatusCode::SEE_OTHER);
    bob.add_comment(post, "Not mailed any more").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(notices(&sink, "alice@example.com", 4, Duration::ZERO).await.len(), 3, "unsubscribed");
    let settings = alice.get("/settings").await;
    assert_eq!(settings.attrs(r#"select[name="comment"] option[selected]"#, "value"), vec!["off".to_owned()]);
    // A forged token is refused.
    anonymous.get("/unsubscribe/1.comment.AAAA").await.expect_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_digest_sends_one_mail_with_the_entries_once_across_instances() {
    let sink = MailSink::start();
    let server = options(&sink).env("FORUM_DIGEST_EVERY_SECONDS", "2").start().await;
    let second = server.another_instance().await;
    let (alice, bob, carol, _rust, post) = a_post(&server).await;
    verify_from_mail(&alice, &sink, "alice@example.com", 1).await;
    bob.add_comment(post, "One for the digest").await;
    carol.add_comment(post, "Two for the digest").await;
    // Switched on after both, so that one digest holds them (one goes every 2 s here).
    mail_settings(&alice, &[("comment", "digest")]).await;
    let mails = notices(&sink, "alice@example.com", 1, Duration::from_secs(20)).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject.contains("2 notifications"), "{}", mails[0].subject);
    assert!(mails[0].text.contains("bob commented") && mails[0].text.contains("carol commented"), "{}", mails[0].text);
    assert!(mails[0].header("List-Unsubscribe").is_some());
    // Several periods later, with both instances looking: still the one mail.
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(notices(&sink, "alice@example.com", 2, Duration::ZERO).await.len(), 1, "sent once");
    drop(second);
}

#[tokio::test]
async fn a_korean_member_is_mailed_a_notification_in_korean_word_for_word() {
    let sink = MailSink::start();
    let server = options(&sink).start().await;
    let korean = Browser::speaking(&server, "ko");
    korean.signup("minji", "minji@example.com", crate::common::PASSWORD).await.expect_redirect("/");
    verify_from_mail(&korean, &sink, "minji@example.com", 1).await;
    // Her language is her setting (a page's language is only how the page was asked for).
    let saved = korean.post_form("/settings/preferences", &[("language", "ko"), ("time_zone", "")]).await;
    saved.expect_status(reqwest::StatusCode::SEE_OTHER);
    mail_settings(&korean, &[("comment", "immediate")]).await;
    let bob = server.user("bob", "bob@example.com").await;
    let rust = category_id(&bob, "Rust").await;
    let post = korean.create_post(rust, "러스트 질문", SOME_TEXT).await;
    let (comment, _) = bob.add_comment(post, "A comment minji is mailed about").await;

    let mails = notices(&sink, "minji@example.com", 1, Duration::from_secs(15)).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    let ko = |id: &str, args: &[(&str, &str)]| message("ko", "notifications", id, args);
    let line = ko("notifications-line-comment", &[("actor", "bob"), ("title", "러스트 질문")]);
    assert_eq!(mail.subject, ko("notifications-mail-subject", &[("line", &line)]));
    let item = format!("http://forum.test/posts/{post}#comment-{comment}");
    let unsubscribe = mail.link_starting("http://forum.test/unsubscribe/").expect("an unsubscribe link");
    let lines: Vec<&str> = mail.text.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    assert_eq!(
        lines,
        [
            format!("- {line}"),
            ko("notifications-mail-open", &[("link", &item)]),
            "--".to_owned(),
            ko("notifications-mail-footer", &[("link", &unsubscribe)]),
        ]
    );
    assert!(mail.html.contains(r#"<html lang="ko">"#), "{}", mail.html);
    let open = ko("notifications-mail-open-link", &[]);
    assert!(mail.html.contains(&format!(r#"<li>{line} — <a href="{item}">{open}</a></li>"#)), "{}", mail.html);
    let stop = ko("notifications-mail-footer-link", &[]);
    assert!(mail.html.contains(&format!(r#"<a href="{unsubscribe}">{stop}</a>"#)), "{}", mail.html);
}
