//! A visitor whose browser is set to Korean uses the forum with JavaScript off: every step is found
//! by its Korean name, as a Korean screen reader user hears it. Then the switcher turns the same page
//! into English, with JavaScript still off.

use super::catalogue::Forum;
use super::driver::{Js, Session, chromedriver};
use super::tools::tools_or_skip;
use crate::common::PASSWORD;

const NAME: &str = "바다_산책";
const TITLE: &str = "수족관 관리 메모";
const TITLE_EDITED: &str = "수족관 관리 메모 (수정)";

/// Assert with the page the browser shows in the message.
macro_rules! check {
    ($s:expr, $cond:expr, $($msg:tt)+) => {
        if !$cond {
            panic!("{}\n--- {}", format!($($msg)+), $s.context().await);
        }
    };
}

async fn expect_h1(s: &Session, h1: &str) {
    let got = s.h1().await;
    check!(s, got == h1, "expected the page {h1:?}, got the h1 {got:?}");
}

async fn expect_lang(s: &Session, lang: &str) {
    let got = s.find("html").await.attr("lang").await.ok().flatten().unwrap_or_default();
    check!(s, got == lang, "<html lang> should be {lang:?}, is {got:?}");
}

async fn flash(s: &Session) -> String {
    s.texts_of("div.flash").await.join(" | ")
}

/// The text of the error the field labelled `label` is described by (`aria-describedby`).
async fn error_of(s: &Session, label: &str) -> String {
    let field = s.field(label).await;
    check!(
        s,
        field.attr("aria-invalid").await.ok().flatten().as_deref() == Some("true"),
        "{label:?} should be marked invalid"
    );
    let described = field.attr("aria-describedby").await.ok().flatten().unwrap_or_default();
    let mut texts = Vec::new();
    for id in described.split_whitespace() {
        texts.push(s.text_of(&format!("[id=\"{id}\"]")).await.unwrap_or_default());
    }
    texts.join(" ")
}

#[tokio::test]
async fn a_korean_visitor_uses_the_forum_in_korean_without_javascript() {
    let test = "a_korean_visitor_uses_the_forum_in_korean_without_javascript";
    let Some(tools) = tools_or_skip(test) else { return };
    let forum = Forum::build(60).await;
    let driver = chromedriver(&tools);
    let s = Session::start_in(&driver, &tools, forum.server.base_url(), Js::Off, "ko-KR").await;

    // The browser's language alone chooses Korean.
    s.goto("/").await;
    expect_lang(&s, "ko").await;
    expect_h1(&s, "게시판").await;
    check!(s, s.title().await == "게시판 · 포럼", "a Korean title");

    // --- sign up, with a mistake first: the error is in Korean, beside its field ---------------------
    s.click_link("회원가입").await;
    expect_h1(&s, "회원가입").await;
    s.fill("이름", NAME).await;
    s.fill("이메일 주소", "sanchaek@example.com").await;
    s.fill("비밀번호", PASSWORD).await;
    s.fill("비밀번호 확인", "다른 비밀번호입니다").await;
    s.click_button("가입하기").await;
    expect_h1(&s, "회원가입").await;
    check!(s, s.title().await.starts_with("오류: "), "the title says there is an error first");
    let summary = s.text_of(".error-summary").await.unwrap_or_default();
    check!(s, summary.contains("입력한 내용을 확인해 주세요"), "a Korean error summary, got {summary:?}");
    let error = error_of(&s, "비밀번호 확인").await;
    check!(s, error.contains("비밀번호가 서로 다릅니다"), "the field's own error is Korean: {error:?}");
    check!(
        s,
        s.field("이름").await.prop("value").await.ok().flatten().as_deref() == Some(NAME),
        "the name typed is kept"
    );
    s.fill("비밀번호", PASSWORD).await;
    s.fill("비밀번호 확인", PASSWORD).await;
    s.click_button("가입하기").await;
    check!(s, flash(&s).await.contains("환영합니다"), "a Korean welcome");
    check!(s, s.has_link(NAME).await && s.has_button("로그아웃").await, "the header shows the name and 로그아웃");

    // --- write a post in the board with the most posts ------------------------------------------------
    s.click_link(&forum.big_board.1).await;
    s.click_link("새 글 쓰기").await;
    expect_h1(&s, "새 글 쓰기").await;
    s.fill("제목", TITLE).await;
    s.fill("본문", "오늘은 물이 **따뜻**합니다.\n둘째 줄은 그대로입니다.").await;
    s.click_button("등록").await;
    expect_h1(&s, TITLE).await;
    check!(s, flash(&s).await.contains("글을 등록했습니다"), "published, in Korean");
    let when = s.text_of(".post-meta time").await.unwrap_or_default();
    check!(s, when.contains('년') && when.contains('월') && when.contains('일'), "a Korean date: {when:?}");

    // --- a comment, counted the Korean way ------------------------------------------------------------
    s.fill("댓글", "좋은 정보 감사합니다.").await;
    s.click_button("댓글 등록").await;
    check!(s, flash(&s).await.contains("댓글을 등록했습니다"), "comment added, in Korean");
    check!(s, s.page_text().await.contains("댓글 1개"), "the count reads 댓글 1개");

    // --- edit it, then read the history ---------------------------------------------------------------
    s.click_link("수정").await;
    expect_h1(&s, "글 수정하기").await;
    s.fill("제목", TITLE_EDITED).await;
    s.click_button("수정한 내용 저장").await;
    expect_h1(&s, TITLE_EDITED).await;
    check!(s, flash(&s).await.contains("글을 수정했습니다"), "updated, in Korean");
    s.click_link("수정 내역").await;
    expect_h1(&s, &format!("“{TITLE_EDITED}” 수정 내역")).await;
    let history = s.page_text().await;
    check!(
        s,
        history.contains(&format!("제목이 “{TITLE}”에서 “{TITLE_EDITED}”(으)로 바뀌었습니다.")),
        "the title change is told in Korean"
    );
    let history_path = s.path().await;

    // --- the switcher: English, on the same page, with JavaScript off ---------------------------------
    s.field("언어").await.select_by_value("en").await.expect("choose English");
    s.click_button("언어 바꾸기").await;
    check!(s, s.path().await == history_path, "the reader stays on the page they were on");
    expect_lang(&s, "en").await;
    expect_h1(&s, &format!("History of “{TITLE_EDITED}”")).await;
    check!(s, s.has_button("Log out").await, "the header is English now");

    s.close().await;
}
