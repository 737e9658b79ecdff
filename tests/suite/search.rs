//! Search: by word prefix over title, text and author name; Korean words with particles, two-letter words,
//! all words required, within a board or category, never deleted posts, paged by key.

use crate::common::content::{SOME_TEXT, assert_inert, category_id, post_ids_in_list, titles_in_list};
use crate::common::{Browser, TestServer, percent_decode};
use reqwest::StatusCode;

/// The posts a search finds (first page), newest first.
async fn found(b: &Browser, query: &str) -> Vec<i64> {
    let page = b.get(&format!("/search?q={}", query_escape(query))).await;
    page.expect_status(StatusCode::OK);
    assert_inert(&page);
    post_ids_in_list(&page)
}

/// Percent-encodes a query value (UTF-8).
fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_search_page_is_a_plain_get_form() {
    let server = TestServer::start().await;
    let b = server.browser();
    let page = b.get("/search").await;
    page.expect_status(StatusCode::OK).expect_layout();
    assert!(page.has(r#"form[method="get"][action="/search"] input[name="q"]"#));
    assert!(page.has(r#"form[method="get"][action="/search"] select[name="category"]"#));
    assert!(post_ids_in_list(&page).is_empty());
    let page = b.get("/search?q=%20%20").await;
    page.expect_status(StatusCode::OK);
    assert!(post_ids_in_list(&page).is_empty(), "a blank query finds nothing and fails nothing");
}

#[tokio::test]
async fn korean_words_are_found_without_their_particles() {
    let server = TestServer::start().await;
    let kim = server.user("김철수", "kim@example.com").await;
    let board = category_id(&kim, "한국어 게시판").await;
    let a = kim.create_post(board, "러스트 공부 모임", "게시판에서 만나요. 데이터베이스를 배웁니다.").await;
    let b = kim.create_post(board, "질문이 있습니다", "서울에서 열리는 행사는 언제인가요?").await;

    assert_eq!(found(&kim, "게시판").await, vec![a], "게시판 finds 게시판에서");
    assert_eq!(found(&kim, "데이터베이스").await, vec![a], "데이터베이스 finds 데이터베이스를");
    assert_eq!(found(&kim, "서울").await, vec![b], "서울 finds 서울에서");
    assert_eq!(found(&kim, "행사").await, vec![b], "행사 finds 행사는");
    assert_eq!(found(&kim, "러스트").await, vec![a], "a word of the title");
    assert_eq!(found(&kim, "게시판에서").await, vec![a], "the whole word too");
    assert_eq!(found(&kim, "김철수").await, vec![b, a], "the author's Korean name, newest first");
    assert!(found(&kim, "파이썬").await.is_empty());
    let page = kim.get(&format!("/search?q={}", query_escape("게시판"))).await;
    assert_eq!(titles_in_list(&page), vec!["러스트 공부 모임"]);
    assert_eq!(page.input_value("q").as_deref(), Some("게시판"), "the query stays in the box");
}

#[tokio::test]
async fn two_letter_words_and_letter_case() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let go = alice.create_post(rust, "Learning Go today", "Some tips for the DB layer.").await;
    let other = alice.create_post(rust, "Nothing relevant", "Only long words here.").await;
    assert_eq!(found(&alice, "go").await, vec![go]);
    assert_eq!(found(&alice, "GO").await, vec![go], "letter case does not matter");
    assert_eq!(found(&alice, "db").await, vec![go], "a two-letter word of the text");
    assert_eq!(found(&alice, "learn").await, vec![go], "a word prefix");
    assert!(found(&alice, "earning").await.is_empty(), "the middle of a word is not a match");
    assert_eq!(found(&alice, "only").await, vec![other]);
}

#[tokio::test]
async fn every_word_must_match_and_authors_are_searched() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let kimchi = server.user("kimchi_lover", "kimchi@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let both = alice.create_post(rust, "Rust async runtimes", "tokio and friends").await;
    let only_rust = alice.create_post(rust, "Rust macros", "declarative ones").await;
    let by_kimchi = kimchi.create_post(rust, "Fermentation", "and async cabbage").await;

    assert_eq!(found(&alice, "rust async").await, vec![both], "all words required");
    assert_eq!(found(&alice, "rust").await, vec![only_rust, both]);
    assert_eq!(found(&alice, "async").await, vec![by_kimchi, both]);
    assert_eq!(found(&alice, "kimchi_lover").await, vec![by_kimchi], "the author's name");
    assert_eq!(found(&alice, "kimchi").await, vec![by_kimchi], "part of the author's name");
    assert_eq!(found(&alice, "alice").await, vec![only_rust, both]);
    assert_eq!(found(&alice, "alice fermentation").await, Vec::<i64>::new());
    assert_eq!(found(&alice, "tokio").await, vec![both], "a word of the text");
}

#[tokio::test]
async fn odd_queries_do_not_break_the_search() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let id = alice.create_post(rust, "C++ and C# (notes)", "\"quoted\" words, a*b, x:y, NEAR(a b), -minus").await;
    for q in ["\"", "\"c", "c++", "c#", "*", "a*", "x:y", "NEAR(", ")", "-minus", "'", "AND", "OR NOT", "^", "%", "\\"]
    {
        let page = alice.get(&format!("/search?q={}", query_escape(q))).await;
        assert_eq!(page.status, StatusCode::OK, "q={q:?}\n{}", page.body_excerpt());
    }
    assert_eq!(found(&alice, "notes").await, vec![id]);
    assert_eq!(found(&alice, "\"quoted").await, vec![id]);
    assert_eq!(found(&alice, "near").await, vec![id], "operator words are plain words");
    assert_eq!(found(&alice, "minus").await, vec![id]);
}

#[tokio::test]
async fn search_within_a_board_or_category() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let general = category_id(&alice, "General").await;
    let programming = category_id(&alice, "Programming").await;
    let rust = category_id(&alice, "Rust").await;
    let web = category_id(&alice, "Web").await;
    let in_rust = alice.create_post(rust, "Shared word: penguin", SOME_TEXT).await;
    let in_web = alice.create_post(web, "Another penguin", SOME_TEXT).await;
    let on_board = alice.create_post(programming, "Board penguin", SOME_TEXT).await;
    let in_general = alice.create_post(general, "General penguin", SOME_TEXT).await;

    let within = |c: i64| format!("/search?q=penguin&category={c}");
    assert_eq!(found(&alice, "penguin").await, vec![in_general, on_board, in_web, in_rust]);
    let page = alice.get(&within(rust)).await;
    assert_eq!(post_ids_in_list(&page), vec![in_rust]);
    let selected = page.attrs(r#"select[name="category"] option[selected]"#, "value");
    assert_eq!(selected, vec![rust.to_string()], "the scope stays chosen");
    assert_eq!(post_ids_in_list(&alice.get(&within(web)).await), vec![in_web]);
    assert_eq!(
        post_ids_in_list(&alice.get(&within(programming)).await),
        vec![on_board, in_web, in_rust],
        "a board includes its categories"
    );
    assert_eq!(post_ids_in_list(&alice.get(&within(general)).await), vec![in_general]);
    // An unknown or malformed scope searches everywhere rather than failing.
    for scope in ["999999", "abc", ""] {
        let page = alice.get(&format!("/search?q=penguin&category={scope}")).await;
        page.expect_status(StatusCode::OK);
        assert_eq!(post_ids_in_list(&page).len(), 4, "category={scope:?}");
    }
}

#[tokio::test]
async fn deleted_posts_are_not_found_edits_are() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let moderator = server.moderator("mia").await;
    let rust = category_id(&alice, "Rust").await;
    let gone = bob.create_post(rust, "Ephemeral platypus", SOME_TEXT).await;
    let stays = bob.create_post(rust, "Lasting platypus", SOME_TEXT).await;
    assert_eq!(found(&alice, "platypus").await, vec![stays, gone]);

    bob.delete_post(gone).await.expect_redirect("/");
    assert_eq!(found(&alice, "platypus").await, vec![stays], "a deleted post is not found");
    assert!(found(&alice, "ephemeral").await.is_empty());
    assert!(found(&moderator, "ephemeral").await.is_empty(), "not even for a moderator's search");
    moderator.restore_post(gone).await.expect_redirect(&format!("/posts/{gone}"));
    assert_eq!(found(&alice, "ephemeral").await, vec![gone], "found again once restored");

    // Editing changes what is found.
    bob.edit_post(stays, "Lasting echidna", "entirely new words").await.expect_redirect(&format!("/posts/{stays}"));
    assert_eq!(found(&alice, "echidna").await, vec![stays]);
    assert_eq!(found(&alice, "entirely").await, vec![stays]);
    assert_eq!(found(&alice, "platypus").await, vec![gone], "the old title is no longer found");
    // A post whose comments mention a word is not found by it (comments are not searched).
    alice.add_comment(gone, "wombat").await;
    assert!(found(&alice, "wombat").await.is_empty());
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn results_are_paged_by_key() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let web = category_id(&alice, "Web").await;
    let mut ids = Vec::new();
    for i in 0..25 {
        let category = if i % 2 == 0 { rust } else { web };
        ids.push(alice.create_post(category, &format!("Capybara {i}"), SOME_TEXT).await);
        alice.create_post(rust, &format!("Unrelated {i}"), SOME_TEXT).await;
    }
    let first = alice.get("/search?q=capybara").await;
    first.expect_status(StatusCode::OK);
    let page1 = post_ids_in_list(&first);
    assert_eq!(page1.len(), 20);
    let older = first.attrs(r#"nav.pager a[rel="next"]"#, "href");
    assert_eq!(older.len(), 1, "an older-results link: {}", first.body_excerpt());
    let older = percent_decode(&older[0]);
    assert!(older.starts_with("/search?q=capybara") && older.contains("before="), "{older}");
    let second = alice.get(&older).await;
    second.expect_status(StatusCode::OK);
    let page2 = post_ids_in_list(&second);
    assert!(second.attrs(r#"nav.pager a[rel="next"]"#, "href").is_empty(), "the last page");
    let all: Vec<i64> = [page1, page2].concat();
    assert_eq!(all, ids.iter().rev().copied().collect::<Vec<_>>(), "every match once, newest first");

    // Paging keeps the scope.
    let scoped = alice.get(&format!("/search?q=capybara&category={rust}")).await;
    assert_eq!(post_ids_in_list(&scoped).len(), 13);
    assert!(scoped.attrs(r#"nav.pager a[rel="next"]"#, "href").is_empty());
}

/// A word longer than three letters among many posts whose words share only its first three
/// (FTS5 indexes prefixes of two and three; longer ones are checked post by post): the same
/// matches, newest first and paged, and on SQLite letters with accents still fold (Rüstung is
/// a match for "rust", as its full-text index folds ü to u; MariaDB's keeps accents).
#[tokio::test]
async fn long_words_among_many_that_share_their_beginning() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let web = category_id(&alice, "Web").await;
    let armour = alice.create_post(web, "Die Rüstung der Ritter", SOME_TEXT).await;
    let mut crabs = Vec::new();
    let mut trips = Vec::new();
    for i in 0..22 {
        crabs.push(alice.create_post(rust, &format!("Rustacean notes {i}"), SOME_TEXT).await);
        trips.push(alice.create_post(rust, &format!("Russia trip {i}"), SOME_TEXT).await);
        alice.create_post(web, &format!("Rusk recipe {i}"), "Bake twice, RUSKS keep.").await;
    }
    let newest_first = |ids: &[i64]| ids.iter().rev().copied().collect::<Vec<_>>();

    let first = alice.get("/search?q=rust").await;
    first.expect_status(StatusCode::OK);
    let older = first.attrs(r#"nav.pager a[rel="next"]"#, "href");
    assert_eq!(older.len(), 1, "an older-results link: {}", first.body_excerpt());
    let second = alice.get(&percent_decode(&older[0])).await;
    assert!(second.attrs(r#"nav.pager a[rel="next"]"#, "href").is_empty(), "the last page");
    let all = [post_ids_in_list(&first), post_ids_in_list(&second)].concat();
    let folds_accents = !crate::common::Backend::from_env().is_mariadb();
    let mut expected = newest_first(&crabs);
    expected.extend(folds_accents.then_some(armour));
    assert_eq!(all, expected, "every match once, newest first, the accented one too");

    assert_eq!(found(&alice, "russia").await, newest_first(&trips)[..20].to_vec());
    assert_eq!(found(&alice, "Rustacean 7").await, vec![crabs[7]], "with a one-letter word");
    assert_eq!(found(&alice, "rusks").await.len(), 20, "a word of the text, in capitals there");
    assert!(found(&alice, "rusty").await.is_empty());
    assert!(found(&alice, "rustacean russia").await.is_empty(), "both words required");
    let scoped = alice.get(&format!("/search?q=rust&category={web}")).await;
    assert_eq!(post_ids_in_list(&scoped), Vec::from_iter(folds_accents.then_some(armour)), "within a category");
}

/// A word found only in posts older than the candidates a search walks and checks one by one
/// before it asks the full-text index (on MariaDB the newest posts, on SQLite the posts with a
/// word that shares the first three letters, here "narrow"): the index finds them all the same.
#[tokio::test]
async fn rare_words_in_old_posts_are_found_past_the_walk() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let oldest = alice.create_post(rust, "Narwhal sighting", SOME_TEXT).await;
    let older = alice.create_post(rust, "Another narwhal", SOME_TEXT).await;
    for i in 0..330 {
        alice.create_post(rust, &format!("Narrow escape {i}"), SOME_TEXT).await;
    }
    let newest = alice.create_post(rust, "Narwhals again", SOME_TEXT).await;
    assert_eq!(found(&alice, "narwhal").await, vec![newest, older, oldest]);
    assert_eq!(found(&alice, "narw").await, vec![newest, older, oldest], "a prefix of three letters and more");
    assert!(found(&alice, "narwhale").await.is_empty());
}

#[tokio::test]
async fn a_common_word_the_newest_posts_lack_is_found_newest_first() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let mut with_word = Vec::new();
    for i in 0..150 {
        with_word.push(alice.create_post(rust, &format!("Ferris note {i}"), SOME_TEXT).await);
    }
    for i in 0..250 {
        alice.create_post(rust, &format!("Unrelated {i}"), SOME_TEXT).await;
    }
    // A word in over a third of the posts, none of the 250 newest: the walk finds nothing in
    // what its budget allows, and the index finds the rest, newest first, page after page.
    let newest_first: Vec<i64> = with_word.iter().rev().copied().collect();
    assert_eq!(found(&alice, "ferris").await, newest_first[..20]);
    let next = alice.get(&format!("/search?q=ferris&before={}", newest_first[19])).await;
    assert_eq!(post_ids_in_list(&next), newest_first[20..40]);
}

#[tokio::test]
async fn a_rare_word_beside_a_common_one_finds_the_posts_with_both() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let both_old = alice.create_post(rust, "Zebra crossing notes", SOME_TEXT).await;
    let only_rare = alice.create_post(rust, "Zebra alone", "Nothing else here.").await;
    for i in 0..40 {
        alice.create_post(rust, &format!("Crossing {i}"), SOME_TEXT).await;
    }
    let both_new = alice.create_post(rust, "Crossing with a zebra", SOME_TEXT).await;
    assert_eq!(found(&alice, "crossing zebra").await, vec![both_new, both_old]);
    assert_eq!(found(&alice, "zebra").await, vec![both_new, only_rare, both_old]);
    assert_eq!(found(&alice, "zeb cross").await, vec![both_new, both_old], "both by their beginnings");
}
