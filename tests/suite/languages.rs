//! The forum in Korean and English: who gets which language (the user's setting, the switcher's
//! cookie, the browser's languages, the forum's default), and times in the reader's time zone.

use crate::common::content::{SOME_TEXT, category_id};
use crate::common::{Browser, PASSWORD, Page, TestServer, collapse};
use reqwest::StatusCode;

/// What a browser set to Korean sends.
const KOREAN: &str = "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7";

#[track_caller]
fn expect_lang(page: &Page, lang: &str) {
    assert!(
        page.has(&format!(r#"html[lang="{lang}"]"#)),
        "{}: expected <html lang=\"{lang}\">\n{}",
        page.path,
        page.body_excerpt()
    );
}

/// The language switcher of a page: where it posts and the page it brings the reader back to.
fn switcher(page: &Page) -> (String, String) {
    let action = page.attrs(r#"form.language-switcher"#, "action").into_iter().next().expect("a language switcher");
    let back = page.attrs(r#"form.language-switcher input[name="back"]"#, "value").into_iter().next().expect("back");
    (action, back)
}

#[tokio::test]
async fn a_korean_visitor_signs_up_posts_and_reads_the_history_in_korean() {
    let server = TestServer::start().await;
    // Someone made the boards; a board's name is its maker's words and is never translated.
    let admin = server.user("admin", "admin@example.com").await;
    let rust = category_id(&admin, "Rust").await;

    let kim = Browser::speaking(&server, KOREAN);
    let home = kim.get("/").await;
    home.expect_status(StatusCode::OK);
    expect_lang(&home, "ko");
    let nav = collapse(&home.text("nav.site-nav").unwrap());
    for word in ["포럼", "검색", "로그인", "회원가입"] {
        assert!(nav.contains(word), "the navigation says {word:?}: {nav:?}");
    }
    assert!(home.text("h1").unwrap().contains("게시판"), "{:?}", home.text("h1"));
    assert!(collapse(&home.text("main").unwrap()).contains("Rust"), "board names stay as written");
    let vary = home.header("vary").unwrap_or_default().to_ascii_lowercase();
    assert!(vary.contains("accept-language") && vary.contains("cookie"), "Vary: {vary:?}");

    // Mistakes are told in Korean beside their fields, and what was typed stays.
    let signup = kim.get("/signup").await;
    expect_lang(&signup, "ko");
    assert_eq!(signup.text("h1").as_deref(), Some("회원가입"));
    let wrong = kim
        .post_signup(&[
            ("name", "김"),
            ("email", "kim-at-example.com"),
            ("password1", PASSWORD),
            ("password2", "다른비밀번호123"),
        ])
        .await;
    wrong.expect_form_error("name", "이름은 2~32자로 입력해 주세요.");
    wrong.expect_form_error("email", "올바른 이메일 주소를 입력해 주세요.");
    wrong.expect_form_error("password2", "비밀번호가 서로 다릅니다.");
    assert_eq!(wrong.input_value("name").as_deref(), Some("김"));
    assert!(wrong.text("title").unwrap().starts_with("오류: "), "{:?}", wrong.text("title"));
    assert!(wrong.error_summary().unwrap().contains("입력한 내용을 확인해 주세요"));

    let welcome = kim.signup("김철수", "kim@example.com", PASSWORD).await;
    welcome.expect_redirect("/");
    let home = kim.follow(&welcome).await;
    home.expect_logged_in_as("김철수");
    assert_eq!(home.flash().as_deref(), Some("김철수님, 환영합니다! 계정이 만들어졌습니다."));

    let new_post = kim.get(&format!("/posts/new?category={rust}")).await;
    assert_eq!(new_post.text("h1").as_deref(), Some("새 글 쓰기"));
    let blank = kim.submit_post(&rust.to_string(), "  ", SOME_TEXT).await;
    blank.expect_form_error("title", "제목을 입력해 주세요.");

    let id = kim.create_post(rust, "첫 글입니다", "안녕하세요").await;
    let post = kim.get(&format!("/posts/{id}")).await;
    assert_eq!(post.flash().as_deref(), Some("글을 등록했습니다."));
    assert_eq!(post.text("#comments-heading").as_deref(), Some("댓글 0개"));
    assert!(collapse(&post.text(".post-meta").unwrap()).starts_with("글쓴이 김철수"), "{:?}", post.text(".post-meta"));
    let (_, location) = kim.add_comment(id, "첫 댓글").await;
    let post = kim.get(&location).await;
    assert_eq!(post.text("#comments-heading").as_deref(), Some("댓글 1개"));
    assert_eq!(post.flash().as_deref(), Some("댓글을 등록했습니다."));

    kim.edit_post(id, "고친 제목", "안녕하세요\n반갑습니다").await.expect_redirect(&format!("/posts/{id}"));
    let history = kim.get(&format!("/posts/{id}/history")).await;
    history.expect_status(StatusCode::OK);
    expect_lang(&history, "ko");
    assert_eq!(history.text("h1").as_deref(), Some("“고친 제목” 수정 내역"));
    let headings = history.texts("section.version h2");
    assert!(headings[0].starts_with("버전 1"), "{headings:?}");
    let text = collapse(&history.text("main").unwrap());
    assert!(text.contains("제목이 “첫 글입니다”에서 “고친 제목”(으)로 바뀌었습니다."), "{text}");
    assert!(text.contains("1줄 추가, 0줄 삭제"), "{text}");

    // Error pages speak Korean too.
    let missing = kim.get("/posts/999999").await;
    missing.expect_status(StatusCode::NOT_FOUND);
    expect_lang(&missing, "ko");
    assert_eq!(missing.text("h1").as_deref(), Some("페이지를 찾을 수 없음"));
    let refused = kim.get("/admin/users").await;
    refused.expect_status(StatusCode::FORBIDDEN);
    assert!(collapse(&refused.text("main").unwrap()).contains("관리자 전용 페이지입니다."));
}

#[tokio::test]
async fn the_switcher_is_a_plain_form_that_keeps_the_reader_on_the_page() {
    let server = TestServer::start().await;
    let b = server.browser();
    let page = b.get("/search?q=rust").await;
    expect_lang(&page, "en");
    let (action, back) = switcher(&page);
    assert_eq!((action.as_str(), back.as_str()), ("/language", "/search?q=rust"));
    assert!(page.has(r#"form.language-switcher[method="post"] select[name="lang"] option[value="ko"]"#));

    let switched = b.post_form("/language", &[("lang", "ko"), ("back", &back)]).await;
    switched.expect_redirect("/search?q=rust");
    assert_eq!(b.cookie("forum_lang").as_deref(), Some("ko"));
    let page = b.follow(&switched).await;
    expect_lang(&page, "ko");
    assert_eq!(page.text("h1").as_deref(), Some("검색"));
    // The choice stays on every page, and back again.
    expect_lang(&b.get("/").await, "ko");
    let (_, back) = switcher(&b.get("/signup").await);
    b.post_form("/language", &[("lang", "en"), ("back", &back)]).await.expect_redirect("/signup");
    expect_lang(&b.get("/").await, "en");

    // Only a path on this site; a language not offered changes nothing.
    for outside in ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"] {
        b.post_form("/language", &[("lang", "ko"), ("back", outside)]).await.expect_redirect("/");
    }
    b.post_form("/language", &[("lang", "fr"), ("back", "/")]).await.expect_redirect("/");
    assert_eq!(b.cookie("forum_lang").as_deref(), Some("ko"));
    // A cross-site switch is refused like any other cross-site form.
    let cross =
        b.post_form_with("/language", &[("lang", "en"), ("back", "/")], &[("sec-fetch-site", "cross-site")]).await;
    cross.expect_status(StatusCode::FORBIDDEN);

    // On a page shown again after a form's mistake, the switcher goes back to the form's page.
    let wrong = b
        .post_form_with(
            "/login",
            &[("name", "nobody"), ("password", "wrong-password")],
            &[
                ("origin", b.base_url()),
                ("sec-fetch-site", "same-origin"),
                ("referer", &format!("{}/login?next=/settings", b.base_url())),
            ],
        )
        .await;
    wrong.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(switcher(&wrong).1, "/login?next=/settings");
}

#[tokio::test]
async fn the_browser_s_languages_count_by_quality_and_unknown_ones_fall_back() {
    let server = TestServer::start().await;
    for (asked, shown) in [
        ("ko", "ko"),
        ("en;q=0.4, ko;q=0.9", "ko"),
        ("fr-FR, ko;q=0.2, en;q=0.3", "en"),
        ("ko;q=0, en;q=0.1", "en"),
        ("fr, de;q=0.9", "en"),
        ("*", "en"),
        ("ko;q=nonsense", "en"),
    ] {
        let page = Browser::speaking(&server, asked).get("/").await;
        page.expect_status(StatusCode::OK);
        assert!(page.has(&format!(r#"html[lang="{shown}"]"#)), "Accept-Language: {asked} should show {shown}");
    }
    // A cookie naming a language not offered is passed over.
    let b = Browser::speaking(&server, "ko");
    b.set_cookie("forum_lang", "xx");
    expect_lang(&b.get("/").await, "ko");
    b.set_cookie("forum_lang", "en");
    expect_lang(&b.get("/").await, "en");

    // The forum's default, for those who ask for nothing it offers.
    let korean_forum = TestServer::options().env("FORUM_LANGUAGE", "ko").start().await;
    expect_lang(&Browser::speaking(&korean_forum, "fr").get("/").await, "ko");
    expect_lang(&korean_forum.browser().get("/").await, "ko");
    expect_lang(&Browser::speaking(&korean_forum, "en").get("/").await, "en");
}

/// The hour and minute of an RFC 3339 UTC time ("2026-11-21T21:45:00Z") moved by `hours`.
fn clock_in(iso: &str, hours: i64) -> String {
    let h: i64 = iso[11..13].parse().unwrap();
    format!("{:02}:{}", (h + hours).rem_euclid(24), &iso[14..16])
}

/// Each `<time>` of a page: (its datetime, its text).
fn times(page: &Page) -> Vec<(String, String)> {
    let datetimes = page.attrs("main time", "datetime");
    let texts = page.texts("main time");
    assert!(!datetimes.is_empty(), "{}: no <time>", page.path);
    datetimes.into_iter().zip(texts).collect()
}

#[tokio::test]
async fn a_user_s_settings_win_over_the_cookie_and_the_browser_and_times_are_in_their_zone() {
    let server = TestServer::start().await;
    let alice = Browser::speaking(&server, "en");
    alice.signup("alice", "alice@example.com", PASSWORD).await.expect_redirect("/");
    alice.set_cookie("forum_lang", "en");
    let rust = category_id(&alice, "Rust").await;
    let id = alice.create_post(rust, "Times", SOME_TEXT).await;
    // The forum's zone: UTC, named.
    for (iso, shown) in times(&alice.get(&format!("/posts/{id}")).await) {
        assert!(iso.ends_with('Z'), "the exact instant in UTC: {iso}");
        assert!(shown.ends_with(&format!("{} UTC", clock_in(&iso, 0))), "{shown:?} for {iso}");
    }

    let settings = alice.get("/settings").await;
    assert!(settings.has(r#"form[action="/settings/preferences"] select[name="time_zone"] option"#));
    let saved = alice.post_form("/settings/preferences", &[("language", "ko"), ("time_zone", "Asia/Seoul")]).await;
    saved.expect_redirect("/settings");
    let settings = alice.follow(&saved).await;
    expect_lang(&settings, "ko");
    assert_eq!(settings.flash().as_deref(), Some("언어와 시간대를 저장했습니다."));
    assert!(settings.has(r#"select[name="language"] option[value="ko"][selected]"#));
    assert!(settings.has(r#"select[name="time_zone"] option[selected]"#));
    assert_eq!(settings.text(r#"select[name="time_zone"] option[selected]"#).as_deref(), Some("Asia/Seoul"));

    // The English cookie and header lose to the setting, on every page.
    alice.set_cookie("forum_lang", "en");
    let post = alice.get(&format!("/posts/{id}")).await;
    expect_lang(&post, "ko");
    for (iso, shown) in times(&post) {
        assert!(iso.ends_with('Z'), "{iso}");
        assert!(shown.contains('년') && shown.ends_with(&format!("{} KST", clock_in(&iso, 9))), "{shown:?} for {iso}");
    }
    let list = alice.get(&format!("/categories/{rust}")).await;
    expect_lang(&list, "ko");
    assert!(times(&list).iter().all(|(_, shown)| shown.ends_with("KST")), "{:?}", times(&list));
    // Someone else reading the same (cached) list sees it in their own language and zone.
    let other = server.browser().get(&format!("/categories/{rust}")).await;
    expect_lang(&other, "en");
    assert!(times(&other).iter().all(|(_, shown)| shown.ends_with("UTC")), "{:?}", times(&other));

    // The switcher, used by a user with a saved language, changes the saved language.
    alice.post_form("/language", &[("lang", "en"), ("back", "/")]).await.expect_redirect("/");
    alice.set_cookie("forum_lang", "ko");
    let home = alice.get("/").await;
    expect_lang(&home, "en");

    // Back to the defaults; a zone that does not exist is the default too.
    alice
        .post_form("/settings/preferences", &[("language", ""), ("time_zone", "Mars/Olympus")])
        .await
        .expect_redirect("/settings");
    alice.set_cookie("forum_lang", "en");
    let post = alice.get(&format!("/posts/{id}")).await;
    expect_lang(&post, "en");
    assert!(times(&post).iter().all(|(_, shown)| shown.ends_with("UTC")));
}

#[tokio::test]
async fn the_forum_s_time_zone_is_the_default_for_everyone() {
    let server = TestServer::options().env("FORUM_TIMEZONE", "Asia/Seoul").start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let id = alice.create_post(rust, "Seoul time", SOME_TEXT).await;
    for (iso, shown) in times(&server.browser().get(&format!("/posts/{id}")).await) {
        assert!(shown.ends_with(&format!("{} KST", clock_in(&iso, 9))), "{shown:?} for {iso}");
    }
    let korean = Browser::speaking(&server, KOREAN).get(&format!("/posts/{id}")).await;
    let (_, shown) = &times(&korean)[0];
    assert!(shown.contains("년 ") && shown.contains("월 ") && shown.contains("일 "), "a Korean date: {shown:?}");
}
