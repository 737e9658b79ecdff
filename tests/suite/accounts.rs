//! Accounts: sign-up and its validation, profiles, settings (name, email, resign), roles.

use crate::common::{PASSWORD, Page, TestServer};
use reqwest::StatusCode;

/// Sign-up form fields.
fn signup_form<'a>(name: &'a str, email: &'a str, p1: &'a str, p2: &'a str) -> [(&'static str, &'a str); 4] {
    [("name", name), ("email", email), ("password1", p1), ("password2", p2)]
}

#[track_caller]
fn assert_no_password_in(page: &Page, passwords: &[&str]) {
    for p in passwords {
        assert!(!page.body.contains(p), "{}: the page echoes a password ({p:?})", page.path);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Sign-up
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn signup_page_is_a_plain_form() {
    let server = TestServer::start().await;
    let page = server.browser().get("/signup").await;
    page.expect_status(StatusCode::OK).expect_layout().expect_logged_out();
    assert!(
        page.has(r#"form[method="post"][action="/signup"], form[method="POST"][action="/signup"]"#),
        "{}",
        page.body_excerpt()
    );
    assert!(page.has(r#"input[name="name"]"#));
    assert!(page.has(r#"input[name="email"]"#));
    assert!(page.has(r#"input[name="password1"][type="password"]"#));
    assert!(page.has(r#"input[name="password2"][type="password"]"#));
}

#[tokio::test]
async fn signup_logs_the_new_user_in_with_a_welcome() {
    let server = TestServer::start().await;
    let alice = server.browser();

    let resp = alice.signup("alice", "alice@example.com", PASSWORD).await;
    resp.expect_redirect("/");
    assert!(resp.set_cookie("forum_token").is_some(), "sign-up sets the login cookie: {:?}", resp.set_cookies());

    let home = alice.follow(&resp).await;
    home.expect_status(StatusCode::OK).expect_layout().expect_logged_in_as("alice");
    let flash = home.flash();
    assert!(flash.as_deref().is_some_and(|f| f.contains("Welcome")), "flash after sign-up: {flash:?}");

    // The flash is shown once.
    let again = alice.home().await;
    assert!(again.flash().is_none(), "the welcome flash shows only once, got {:?}", again.flash());
    again.expect_logged_in_as("alice");

    // Somebody else is not logged in.
    server.browser().home().await.expect_logged_out();
}

#[tokio::test]
async fn duplicate_name_in_another_letter_case_is_refused() {
    let server = TestServer::start().await;
    server.user("Alice", "alice@example.com").await;

    for name in ["alice", "ALICE", "Alice"] {
        let b = server.browser();
        let page = b.post_signup(&signup_form(name, "other@example.com", PASSWORD, PASSWORD)).await;
        page.expect_form_error("name", "already taken");
        // Nobody got logged in.
        b.home().await.expect_logged_out();
    }
}

#[tokio::test]
async fn korean_names_work_and_clash() {
    let server = TestServer::start().await;
    let kim = server.browser();
    kim.signup("김철수", "kim@example.com", PASSWORD).await.expect_redirect("/");
    // The nav links to the profile by the (percent-encoded) Korean name.
    kim.home().await.expect_logged_in_as("김철수");

    let profile = server.browser().get("/users/%EA%B9%80%EC%B2%A0%EC%88%98").await;
    profile.expect_status(StatusCode::OK);
    assert!(profile.visible_text().contains("김철수"), "{}", profile.body_excerpt());

    let page = server.browser().post_signup(&signup_form("김철수", "kim2@example.com", PASSWORD, PASSWORD)).await;
    page.expect_form_error("name", "already taken");
}

/// Names that pass for a taken one (UTS #39): letters of another script mixed in, fullwidth or
/// mathematical letters, digits for letters. Korean names, alone or with Latin, stay welcome.
#[tokio::test]
async fn names_that_look_like_a_taken_one_are_refused() {
    let server = TestServer::start().await;
    server.user("paypal", "paypal@example.com").await;
    let cases = [
        ("p\u{430}ypal", "may not mix alphabets"),
        ("\u{ff50}\u{ff41}\u{ff59}\u{ff50}\u{ff41}\u{ff4c}", "already taken"),
        ("\u{1d429}\u{1d41a}\u{1d432}\u{1d429}\u{1d41a}\u{1d425}", "already taken"),
        ("paypa1", "looks too much like"),
        ("PaypaI", "looks too much like"),
    ];
    for (name, error) in cases {
        let page = server.browser().post_signup(&signup_form(name, "new@example.com", PASSWORD, PASSWORD)).await;
        page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        page.expect_form_error("name", error);
        assert_eq!(page.input_value("email").as_deref(), Some("new@example.com"), "what {name} typed is kept");
    }
    server.user("kim김", "kim@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let page = bob.post_form("/settings/profile", &[("name", "paypa1"), ("email", "bob@example.com")]).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    page.expect_form_error("name", "looks too much like");
}

#[tokio::test]
async fn accented_names_clash_in_any_case() {
    let server = TestServer::start().await;
    server.user("ÉLISE", "elise@example.com").await;
    let page = server.browser().post_signup(&signup_form("élise", "elise2@example.com", PASSWORD, PASSWORD)).await;
    page.expect_form_error("name", "already taken");
    // A different name is fine.
    server.user("elise", "elise3@example.com").await;
}

#[tokio::test]
async fn name_with_forbidden_characters_is_refused() {
    let server = TestServer::start().await;
    for bad in ["bad name", "x<y>", "a/b", ""] {
        let page = server.browser().post_signup(&signup_form(bad, "bad@example.com", PASSWORD, PASSWORD)).await;
        page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.field_error("name").is_some(), "name {bad:?}: no #name-error\n{}", page.body_excerpt());
        assert!(page.input_invalid("name"));
    }
    // The allowed punctuation goes through.
    server.user("snake_case-name", "ok@example.com").await;
}

#[tokio::test]
async fn duplicate_email_in_another_letter_case_is_refused() {
    let server = TestServer::start().await;
    server.user("alice", "alice@example.com").await;
    for email in ["ALICE@EXAMPLE.COM", "Alice@Example.com", "alice@example.com"] {
        let page = server.browser().post_signup(&signup_form("bob", email, PASSWORD, PASSWORD)).await;
        page.expect_form_error("email", "already registered");
    }
}

#[tokio::test]
async fn invalid_email_is_refused() {
    let server = TestServer::start().await;
    for email in ["not-an-email", "a@", "@example.com", "two@@example.com"] {
        let page = server.browser().post_signup(&signup_form("bob", email, PASSWORD, PASSWORD)).await;
        page.expect_form_error("email", "valid email");
    }
    // A blank email is refused too (its message may say it is missing rather than invalid).
    let page = server.browser().post_signup(&signup_form("bob", "  ", PASSWORD, PASSWORD)).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.field_error("email").is_some(), "blank email: no #email-error\n{}", page.body_excerpt());
    assert!(page.input_invalid("email"));
}

#[tokio::test]
async fn mismatched_passwords_are_refused_and_typed_values_come_back() {
    let server = TestServer::start().await;
    let b = server.browser();
    let (p1, p2) = ("first-Secret-4711", "second-Secret-0815");
    let page = b.post_signup(&signup_form("carol", "carol@example.com", p1, p2)).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);

    let summary = page.error_summary().unwrap_or_default();
    assert!(summary.contains("do not match"), "error summary: {summary:?}\n{}", page.body_excerpt());
    let on_field = ["password2", "password1"]
        .into_iter()
        .find(|f| page.field_error(f).is_some_and(|e| e.contains("do not match")));
    let field = on_field.unwrap_or_else(|| panic!("no password field says 'do not match'\n{}", page.body_excerpt()));
    assert!(page.input_invalid(field), "{field} should be aria-invalid");

    assert_eq!(page.input_value("name").as_deref(), Some("carol"));
    assert_eq!(page.input_value("email").as_deref(), Some("carol@example.com"));
    assert_no_password_in(&page, &[p1, p2]);
    b.home().await.expect_logged_out();
}

#[tokio::test]
async fn short_password_is_refused() {
    let server = TestServer::start().await;
    let page = server.browser().post_signup(&signup_form("dave", "dave@example.com", "7-chars", "7-chars")).await;
    page.expect_form_error("password1", "at least 8 characters");
    assert_no_password_in(&page, &["7-chars"]);

    // Exactly 8 characters is enough.
    server.browser().signup("dave", "dave@example.com", "8-chars!").await.expect_redirect("/");
}

#[tokio::test]
async fn password_length_is_counted_in_characters_up_to_128() {
    let server = TestServer::start().await;

    let longest = "p".repeat(127) + "!";
    assert_eq!(longest.chars().count(), 128);
    server.browser().signup("max", "max@example.com", &longest).await.expect_redirect("/");
    server.browser().login("max", &longest).await.expect_redirect("/");

    let too_long = "q".repeat(129);
    let b = server.browser();
    let page = b.post_signup(&signup_form("over", "over@example.com", &too_long, &too_long)).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.field_error("password1").is_some(), "no #password1-error\n{}", page.body_excerpt());
    assert!(page.input_invalid("password1"));
    assert_no_password_in(&page, &[&too_long]);
    b.home().await.expect_logged_out();
    // No account was made: the name is still free.
    server.browser().signup("over", "over@example.com", PASSWORD).await.expect_redirect("/");

    // 8 Korean characters are 24 bytes but only 8 characters: allowed. 7 are not.
    server.browser().signup("kor8", "kor8@example.com", "가나다라마바사아").await.expect_redirect("/");
    let page = server
        .browser()
        .post_signup(&signup_form("kor7", "kor7@example.com", "가나다라마바사", "가나다라마바사"))
        .await;
    page.expect_form_error("password1", "at least 8 characters");
}

#[tokio::test]
async fn a_100_character_korean_password_works_and_is_not_truncated() {
    let server = TestServer::start().await;
    let syllables: Vec<char> = "비밀번호는길수록안전합니다한국어로된암호".chars().collect();
    let password: String = (0..100).map(|i| syllables[i % syllables.len()]).collect();
    assert_eq!(password.chars().count(), 100);
    assert_eq!(password.len(), 300, "3 bytes per syllable");

    let b = server.browser();
    b.signup("한글암호", "hangul@example.com", &password).await.expect_redirect("/");
    b.logout().await.expect_redirect("/");

    // The whole password logs in.
    let other = server.browser();
    other.login("한글암호", &password).await.expect_redirect("/");
    other.home().await.expect_logged_in_as("한글암호");

    // Only the first 72 bytes (24 syllables) must not: bcrypt alone would accept that.
    let first_72_bytes: String = password.chars().take(24).collect();
    assert_eq!(first_72_bytes.len(), 72);
    let page = server.browser().login("한글암호", &first_72_bytes).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Wrong name or password."), "{}", page.body_excerpt());

    // Nor a password that differs only in its last character.
    let mut last_differs: String = password.chars().take(99).collect();
    last_differs.push('X');
    let page = server.browser().login("한글암호", &last_differs).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn rejected_form_refills_values_html_escaped_and_never_echoes_passwords() {
    let server = TestServer::start().await;
    let nasty_email = r#"<script>alert("x")</script>&amp;"#;
    let password = "Very-Secret-Password-9";
    let page = server.browser().post_signup(&signup_form("eve", nasty_email, password, password)).await;
    page.expect_form_error("email", "valid email");
    // The value comes back exactly as typed once the HTML is parsed, so it was escaped in the markup.
    assert_eq!(page.input_value("email").as_deref(), Some(nasty_email));
    assert_eq!(page.input_value("name").as_deref(), Some("eve"));
    assert!(!page.body.contains("<script>alert"), "typed markup must be escaped\n{}", page.body_excerpt());
    assert!(!page.has("script:not([src])"), "no inline script on the page");
    assert_no_password_in(&page, &[password]);
    // Password inputs are empty.
    for field in ["password1", "password2"] {
        let v = page.input_value(field).unwrap_or_default();
        assert!(v.is_empty(), "{field} is refilled with {v:?}");
    }
}

#[tokio::test]
async fn several_errors_are_all_reported_at_once() {
    let server = TestServer::start().await;
    server.user("alice", "alice@example.com").await;
    let page = server.browser().post_signup(&signup_form("ALICE", "ALICE@example.com", "short", "shorter")).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let summary = page.error_summary().unwrap_or_default();
    for msg in ["already taken", "already registered"] {
        assert!(summary.contains(msg), "summary should contain {msg:?}: {summary:?}");
    }
    assert!(page.field_error("name").is_some_and(|e| e.contains("already taken")));
    assert!(page.field_error("email").is_some_and(|e| e.contains("already registered")));
    assert!(page.field_error("password1").is_some() || page.field_error("password2").is_some());
}

// ---------------------------------------------------------------------------------------------------------
// Profiles and roles
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn profile_shows_name_role_and_joined_date() {
    let server = TestServer::start().await;
    server.user("alice", "alice@example.com").await;
    server.user("bob", "bob@example.com").await;

    let page = server.browser().get("/users/bob").await;
    page.expect_status(StatusCode::OK).expect_layout();
    let text = page.visible_text();
    assert!(text.contains("bob"), "{text}");
    assert!(text.contains("member"), "role of the second user: {text}");
    let year = time::OffsetDateTime::now_utc().year().to_string();
    assert!(text.contains(&year), "joined date (this year, {year}) should be shown: {text}");
    assert!(!text.contains("bob@example.com"), "the public profile must not show the email");

    let page = server.browser().get("/users/alice").await;
    page.expect_status(StatusCode::OK);
    assert!(page.visible_text().contains("admin"), "the first user is an admin: {}", page.visible_text());
}

#[tokio::test]
async fn unknown_profile_is_a_404_page() {
    let server = TestServer::start().await;
    let page = server.browser().get("/users/nobody-here").await;
    page.expect_status(StatusCode::NOT_FOUND).expect_layout();
    assert!(page.has("h1"));
}

/// A fresh forum opened to many at once: whoever signs up first runs it, and only they do.
#[tokio::test]
async fn of_eight_simultaneous_first_sign_ups_one_becomes_admin() {
    let server = TestServer::start().await;
    let browsers: Vec<_> = (0..8).map(|_| server.browser()).collect();
    let mut signups = tokio::task::JoinSet::new();
    for (i, b) in browsers.iter().cloned().enumerate() {
        signups.spawn(async move {
            let name = format!("early{i}");
            b.signup(&name, &format!("{name}@example.com"), PASSWORD).await.expect_redirect("/");
        });
    }
    signups.join_all().await;
    let mut admins = 0;
    for b in &browsers {
        let page = b.get("/admin/users").await;
        match page.status {
            StatusCode::OK => admins += 1,
            StatusCode::FORBIDDEN => {}
            other => panic!("the admin page answered {other}"),
        }
    }
    assert_eq!(admins, 1, "exactly one of the first eight runs the forum");
}

#[tokio::test]
async fn first_account_is_admin_and_the_second_is_not() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;

    let page = alice.get("/admin/users").await;
    page.expect_status(StatusCode::OK).expect_layout();
    assert!(page.visible_text().contains("bob"), "the admin user list shows bob");

    let page = bob.get("/admin/users").await;
    page.expect_status(StatusCode::FORBIDDEN);
    assert!(page.is_html() && page.has("h1"), "403 is an HTML page\n{}", page.body_excerpt());
    bob.get("/admin/categories").await.expect_status(StatusCode::FORBIDDEN);

    // Logged out: never the admin page.
    let anon = server.browser().get("/admin/users").await;
    assert!(
        anon.status == StatusCode::FORBIDDEN || anon.status == StatusCode::SEE_OTHER,
        "anonymous /admin/users: {}",
        anon.status
    );
}

#[tokio::test]
async fn grant_role_command_makes_a_moderator_and_an_admin() {
    let server = TestServer::start().await;
    server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    server.user("carol", "carol@example.com").await;

    server.run_command(&["grant-role", "--name", "carol", "--role", "moderator"]).await.expect_success();
    let page = server.browser().get("/users/carol").await;
    page.expect_status(StatusCode::OK);
    assert!(page.visible_text().contains("moderator"), "carol's profile: {}", page.visible_text());

    server.run_command(&["grant-role", "--name", "bob", "--role", "admin"]).await.expect_success();
    bob.get("/admin/users").await.expect_status(StatusCode::OK);

    let out = server.run_command(&["grant-role", "--name", "nobody", "--role", "admin"]).await;
    assert!(!out.status.success(), "granting a role to an unknown user must fail: {out:?}");
    let out = server.run_command(&["grant-role", "--name", "carol", "--role", "emperor"]).await;
    assert!(!out.status.success(), "granting an unknown role must fail: {out:?}");
}

// ---------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn settings_need_a_login() {
    let server = TestServer::start().await;
    let b = server.browser();
    let page = b.get("/settings").await;
    page.expect_status(StatusCode::SEE_OTHER);
    let loc = crate::common::percent_decode(&page.location().unwrap_or_default());
    assert_eq!(loc, "/login?next=/settings");

    // Logging in from there lands back on the settings page.
    server.user("alice", "alice@example.com").await.logout().await;
    b.post_form("/login", &[("name", "alice"), ("password", PASSWORD), ("next", "/settings")])
        .await
        .expect_redirect("/settings");
    b.get("/settings").await.expect_status(StatusCode::OK).expect_layout().expect_logged_in_as("alice");
}

#[tokio::test]
async fn change_name_and_email() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;

    let resp = alice.post_form("/settings/profile", &[("name", "alicia"), ("email", "alicia@example.org")]).await;
    resp.expect_status(StatusCode::SEE_OTHER);
    let next = alice.follow(&resp).await;
    next.expect_status(StatusCode::OK).expect_logged_in_as("alicia");
    assert!(next.flash().is_some(), "a flash confirms the change\n{}", next.body_excerpt());

    server.browser().get("/users/alicia").await.expect_status(StatusCode::OK);
    server.browser().get("/users/alice").await.expect_status(StatusCode::NOT_FOUND);

    // The new email logs in; the old one does not.
    server.browser().login("alicia@example.org", PASSWORD).await.expect_redirect("/");
    server.browser().login("alice@example.com", PASSWORD).await.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    // The old name is free again.
    server.user("alice", "alice@example.com").await;
}

#[tokio::test]
async fn change_name_or_email_to_a_taken_one_is_refused() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    server.user("Bob", "bob@example.com").await;

    let page = alice.post_form("/settings/profile", &[("name", "BOB"), ("email", "alice@example.com")]).await;
    page.expect_form_error("name", "already taken");
    assert_eq!(page.input_value("name").as_deref(), Some("BOB"));

    let page = alice.post_form("/settings/profile", &[("name", "alice"), ("email", "BOB@example.com")]).await;
    page.expect_form_error("email", "already registered");

    // Keeping one's own name and email (in another case) is not a clash.
    let resp = alice.post_form("/settings/profile", &[("name", "Alice"), ("email", "alice@example.com")]).await;
    resp.expect_status(StatusCode::SEE_OTHER);
    alice.home().await.expect_logged_in_as("Alice");
}

#[tokio::test]
async fn resign_with_a_wrong_password_is_refused() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let page = alice.post_form("/settings/resign", &[("password", "not my password")]).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.error_summary().is_some(), "{}", page.body_excerpt());
    assert!(!page.body.contains("not my password"));
    alice.home().await.expect_logged_in_as("alice");
    server.browser().get("/users/alice").await.expect_status(StatusCode::OK);
}

#[tokio::test]
async fn resigned_account_cannot_log_in_and_frees_its_name() {
    let server = TestServer::start().await;
    server.user("admin", "admin@example.com").await;
    let alice = server.user("alice", "alice@example.com").await;
    let other_session = server.browser();
    other_session.login("alice", PASSWORD).await.expect_redirect("/");

    let resp = alice.post_form("/settings/resign", &[("password", PASSWORD)]).await;
    resp.expect_status(StatusCode::SEE_OTHER);
    alice.follow(&resp).await.expect_logged_out();
    alice.home().await.expect_logged_out();
    other_session.home().await.expect_logged_out();

    for who in ["alice", "alice@example.com"] {
        let page = server.browser().login(who, PASSWORD).await;
        page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("Wrong name or password."), "{}", page.body_excerpt());
    }

    let profile = server.browser().get("/users/alice").await;
    assert!(
        profile.status == StatusCode::NOT_FOUND
            || (profile.status == StatusCode::OK && profile.visible_text().to_lowercase().contains("deleted")),
        "a resigned user's profile is gone or shown as deleted: {}\n{}",
        profile.status,
        profile.body_excerpt()
    );

    // The name and the email can be used again by somebody new.
    let newcomer = server.user("alice", "alice@example.com").await;
    newcomer.home().await.expect_logged_in_as("alice");
    let page = server.browser().get("/users/alice").await;
    page.expect_status(StatusCode::OK);
    assert!(page.visible_text().contains("member"));
}
