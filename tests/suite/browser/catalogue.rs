//! A forum with something on every kind of page, and the list of those pages: who looks at each, how
//! to get there (an address, or a form filled in and sent), what it must say, and whether it is one of
//! the main pages that get screenshots.

use reqwest::StatusCode;
use scraper::Selector;

use super::driver::Session;
use crate::common::content::categories;
use crate::common::{Browser, Page, TestServer, collapse};

/// Who is looking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Nobody,
    /// `bo`, a member, author of the post the catalogue shows.
    Member,
    /// `ada`, the forum's first account and so its admin.
    Admin,
}

/// A field to fill in: found by its label in the browser, sent by its name over HTTP.
#[derive(Clone, Debug)]
pub struct Fill {
    pub label: &'static str,
    pub name: &'static str,
    pub value: String,
}

pub fn fill(label: &'static str, name: &'static str, value: &str) -> Fill {
    Fill { label, name, value: value.to_owned() }
}

/// How to reach a page.
#[derive(Clone, Debug)]
pub enum How {
    Get(String),
    /// Open `page`, fill in `fields`, press `button` of their form (which posts to `action`).
    Submit {
        page: String,
        action: String,
        fields: Vec<Fill>,
        button: &'static str,
        hidden: Vec<(&'static str, String)>,
    },
    /// Open `page`, put `bytes` characters into the field `label` and press `button`: more than the server accepts.
    Oversized {
        page: String,
        action: String,
        label: &'static str,
        name: &'static str,
        button: &'static str,
        bytes: usize,
    },
}

/// One page of the catalogue.
#[derive(Clone, Debug)]
pub struct Spec {
    /// A short file-name-safe name (`post-author`).
    pub name: &'static str,
    pub who: Who,
    pub how: How,
    pub status: StatusCode,
    /// Text the `<h1>` must contain: proof that we look at the page we think.
    pub h1: String,
    /// Pages of one group are the same page seen by someone else or in another state, so they may share
    /// a title; pages of different groups must not.
    pub group: &'static str,
    /// A form sent back with errors: its title must start with "Error: ".
    pub form_errors: bool,
    /// One of the main pages: screenshots at 1280 and 390 px.
    pub screenshot: bool,
}

fn spec(name: &'static str, who: Who, how: How, status: StatusCode, h1: &str, group: &'static str) -> Spec {
    Spec { name, who, how, status, h1: h1.to_owned(), group, form_errors: false, screenshot: false }
}

impl Spec {
    fn shot(mut self) -> Self {
        self.screenshot = true;
        self
    }
    fn errors(mut self) -> Self {
        self.form_errors = true;
        self
    }
}

pub const POST_TITLE: &str = "Keyboard notes: moving through the forum without a mouse";
pub const POST_TEXT_V0: &str = "## Getting around\n\n\
Use **Tab** to move and *Enter* to follow a [link](https://example.com/a/very/long/path/that/keeps/going/and/going/without/any/break).\n\n\
- the skip link comes first\n- 두 번째 요점: 키보드만으로도 충분합니다\n\n\
> Focus should always be visible.\n\n\
```\nfn main() { println!(\"a long line of code that is wider than a phone screen, so it scrolls inside its own box\"); }\n```\n\n\
averyveryveryverylongwordwithoutanyspacesatallthatmustwrapsomewhereonasmallscreenbecausephonesarenarrow\n";
pub const POST_TEXT_V1: &str = "## Getting around\n\n\
Use **Tab** to move, *Shift+Tab* to go back and *Enter* to follow a [link](https://example.com/a/very/long/path/that/keeps/going/and/going/without/any/break).\n\n\
- the skip link comes first\n- 두 번째 요점: 키보드만으로도 충분합니다\n\n\
> Focus should always be visible.\n\n\
```\nfn main() { println!(\"a long line of code that is wider than a phone screen, so it scrolls inside its own box\"); }\n```\n\n\
averyveryveryverylongwordwithoutanyspacesatallthatmustwrapsomewhereonasmallscreenbecausephonesarenarrow\n";

/// The forum the catalogue is built on.
pub struct Forum {
    pub server: TestServer,
    pub admin: Browser,
    pub member: Browser,
    pub nobody: Browser,
    /// The board with the most posts (more than one page of them).
    pub big_board: (i64, String),
    /// A category (under a board) with posts.
    pub category: (i64, String),
    /// A board with no posts.
    pub empty_board: (i64, String),
    /// `bo`'s post: Markdown, edited once, with a comment (edited too) and `ada`'s vote.
    pub post: i64,
    pub comment: i64,
    /// `bo`'s second post, locked and pinned by `ada` (with reasons).
    pub locked_post: i64,
    /// `bo`'s password reset link (a path), opened but never used.
    pub reset_path: String,
    /// `cy`'s address verification link (a path), never used.
    pub verify_path: String,
    /// The unsubscribe link of a notification mail to `bo` (a path).
    pub unsubscribe_path: String,
    /// Where the forum writes its mails (no SMTP server): the links are read from there.
    _mail_dir: tempfile::TempDir,
}

/// The forum's address as its mails link to it.
const MAIL_BASE: &str = "http://forum.test";

/// The path of the first link to `prefix` in a mail to `to` that the forum wrote to `dir`,
/// waiting for the mail worker to write it.
async fn mailed_link(dir: &std::path::Path, to: &str, prefix: &str) -> String {
    let prefix = format!("{MAIL_BASE}{prefix}");
    for _ in 0..300 {
        for entry in std::fs::read_dir(dir).unwrap() {
            // Only whole mails: the forum writes each beside its name and renames it, so a
            // half-written one, listed a moment ago, may be gone by the time it is read.
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|ext| ext != "eml") {
                continue;
            }
            let Ok(raw) = std::fs::read(&path) else { continue };
            let Some(mail) = mail_parser::MessageParser::default().parse(&raw) else { continue };
            let addressed = mail.to().and_then(|list| list.first()).and_then(|a| a.address()) == Some(to);
            let text = mail.body_text(0).map(|text| text.into_owned()).unwrap_or_default();
            if let (true, Some(at)) = (addressed, text.find(&prefix)) {
                let link: String = text[at..].chars().take_while(|c| !c.is_whitespace()).collect();
                return link.strip_prefix(MAIL_BASE).unwrap().to_owned();
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no mail to {to} with a {prefix} link in {}", dir.display());
}

/// The title of the locked and pinned post.
pub const LOCKED_TITLE: &str = "House rules for this category";

/// The boards on the front page with their post counts: (id, name, count).
pub fn boards_with_counts(home: &Page) -> Vec<(i64, String, i64)> {
    let doc = home.html();
    let boards = Selector::parse("section.board").unwrap();
    let link = Selector::parse("h2 a").unwrap();
    let count = Selector::parse("p.count").unwrap();
    doc.select(&boards)
        .filter_map(|board| {
            let a = board.select(&link).next()?;
            let id = a.value().attr("href")?.strip_prefix("/categories/")?.parse().ok()?;
            let name = collapse(&a.text().collect::<String>());
            let n = board
                .select(&count)
                .next()
                .map(|c| crate::common::content::leading_number(&c.text().collect::<String>()))?;
            Some((id, name, n))
        })
        .collect()
}

impl Forum {
    /// A forum with `posts` seeded posts (Korean and English), an admin, a member with a post, and an
    /// empty board.
    pub async fn build(posts: u32) -> Forum {
        let mail_dir = crate::common::temp_dir("catalogue-mail");
        let mut server = TestServer::options()
            .env("FORUM_MAIL_DIR", mail_dir.path().to_str().unwrap())
            .env("FORUM_BASE_URL", MAIL_BASE)
            .start()
            .await;
        // The first account becomes the admin; then the seed fills the forum (users user1, user2 …).
        let admin = server.user("ada", "ada@example.com").await;
        server
            .run_command(&["seed", "--posts", &posts.to_string(), "--comments", "2", "--votes", "1"])
            .await
            .expect_success();
        // A fresh process: nothing cached from before the seed.
        server.restart().await;
        let admin = admin.at(&server);
        let nobody = server.browser();
        let member = server.user("bo", "bo@example.com").await;
        admin.get("/admin/users").await.expect_status(StatusCode::OK);

        admin
            .post_form("/admin/categories", &[("name", "Quiet corner"), ("parent", "")])
            .await
            .expect_status(StatusCode::SEE_OTHER);
        // An invite code, so the registration page shows its table.
        admin.post_form("/admin/invites", &[]).await.expect_status(StatusCode::SEE_OTHER);
        let all = categories(&nobody).await;
        let empty_board = all.iter().find(|(_, n)| n == "Quiet corner").cloned().expect("the new board is listed");

        let home = nobody.home().await;
        let boards = boards_with_counts(&home);
        let (big_id, big_name, big_count) =
            boards.iter().max_by_key(|(_, _, n)| *n).cloned().expect("boards on the front page");
        assert!(big_count > 20, "the seed should give one board more than a page of posts: {boards:?}");
        let board_ids: Vec<i64> = boards.iter().map(|b| b.0).collect();
        let category = all
            .iter()
            .find(|(id, _)| {
                !board_ids.contains(id) && crate::common::content::front_page_count(&home, *id).unwrap_or(0) > 0
            })
            .cloned()
            .expect("a category with posts");

        let post = member.create_post(category.0, POST_TITLE, POST_TEXT_V0).await;
        member.edit_post(post, POST_TITLE, POST_TEXT_V1).await.expect_status(StatusCode::SEE_OTHER);
        let (comment, _) = member.add_comment(post, "Thanks, this helps. **Tab** is my friend.").await;
        member
            .edit_comment(comment, "Thanks, this helps a lot. **Tab** is my friend.")
            .await
            .expect_status(StatusCode::SEE_OTHER);
        admin.vote_post(post).await.expect_status(StatusCode::SEE_OTHER);
        let locked_post = member.create_post(category.0, LOCKED_TITLE, "Be kind. Stay on topic.").await;
        for action in ["lock", "pin"] {
            let reason = [("reason", "Rules are read, not discussed")];
            admin
                .post_form(&format!("/posts/{locked_post}/{action}"), &reason)
                .await
                .expect_status(StatusCode::SEE_OTHER);
        }

        // Block one seeded user, so the admin list shows both kinds of row.
        let users = admin.get("/admin/users").await;
        let rows = Selector::parse("table.users tbody tr").unwrap();
        let name_link = Selector::parse("td a").unwrap();
        let block_form = Selector::parse(r#"form[action$="/block"]"#).unwrap();
        let action = users
            .html()
            .select(&rows)
            .find_map(|row| {
                let name = collapse(&row.select(&name_link).next()?.text().collect::<String>());
                let form = row.select(&block_form).next()?;
                name.starts_with("user").then(|| form.value().attr("action").map(str::to_owned)).flatten()
            })
            .expect("a seeded user the admin can block");
        admin.post_form(&action, &[("reason", "Testing the admin page")]).await.expect_status(StatusCode::SEE_OTHER);
        assert!(admin.get("/admin/users").await.has(r#"form[action$="/unblock"]"#), "a blocked user is listed");

        // bo verifies the address, then asks for a reset link, which the catalogue opens.
        let verify = mailed_link(mail_dir.path(), "bo@example.com", "/email/verify/").await;
        member.post_form(&verify, &[]).await.expect_status(StatusCode::SEE_OTHER);
        nobody.post_form("/password/forgot", &[("name", "bo")]).await.expect_status(StatusCode::SEE_OTHER);
        let reset_path = mailed_link(mail_dir.path(), "bo@example.com", "/password/reset/").await;
        // cy's verification link stays unused, so its page shows the button.
        server.user("cy", "cy@example.com").await;
        let verify_path = mailed_link(mail_dir.path(), "cy@example.com", "/email/verify/").await;
        // bo is mailed about a comment (on the locked post, so bo's main post stays as it is).
        member
            .post_form("/settings/notifications", &[("comment", "immediate")])
            .await
            .expect_status(StatusCode::SEE_OTHER);
        admin.add_comment(locked_post, "Please read them before posting.").await;
        let unsubscribe_path = mailed_link(mail_dir.path(), "bo@example.com", "/unsubscribe/").await;

        Forum {
            server,
            admin,
            member,
            nobody,
            big_board: (big_id, big_name),
            category,
            empty_board,
            post,
            comment,
            locked_post,
            reset_path,
            verify_path,
            unsubscribe_path,
            _mail_dir: mail_dir,
        }
    }

    /// The HTTP client of `who`.
    pub fn client(&self, who: Who) -> &Browser {
        match who {
            Who::Nobody => &self.nobody,
            Who::Member => &self.member,
            Who::Admin => &self.admin,
        }
    }

    /// Every kind of page.
    pub async fn pages(&self) -> Vec<Spec> {
        use Who::*;
        let ok = StatusCode::OK;
        let invalid = StatusCode::UNPROCESSABLE_ENTITY;
        let (board, board_name) = (&self.big_board.0, &self.big_board.1);
        let older = self
            .nobody
            .get(&format!("/categories/{board}"))
            .await
            .attrs(r#"a[rel="next"]"#, "href")
            .into_iter()
            .next()
            .expect("the big board has an 'Older posts' link");
        let post = self.post;
        let comment = self.comment;
        let locked = self.locked_post;
        let word = "keyboard";
        // The admin reports bo's post (again is refused, harmlessly), so the queue and the item's
        // page have a report to show.
        let report = [("reason", "spam"), ("content", "Testing the queue")];
        let _ = self.admin.post_form(&format!("/posts/{post}/report"), &report).await;
        let mut specs = vec![
            spec(
                "report-form",
                Admin,
                How::Get(format!("/comments/{comment}/report")),
                ok,
                "Report a comment",
                "report-form",
            ),
            spec(
                "report-form-errors",
                Admin,
                How::Submit {
                    page: format!("/comments/{comment}/report"),
                    action: format!("/comments/{comment}/report"),
                    fields: vec![fill("What is wrong", "content", " ")],
                    button: "Send report",
                    hidden: vec![],
                },
                invalid,
                "Report a comment",
                "report-form",
            )
            .errors(),
            spec(
                "report-queue",
                Admin,
                How::Get("/moderation/reports".into()),
                ok,
                "Reported posts and comments",
                "report-queue",
            ),
            spec(
                "report-detail",
                Admin,
                How::Get(format!("/moderation/reports/post-{post}")),
                ok,
                POST_TITLE,
                "report-detail",
            ),
            spec(
                "report-resolve-errors",
                Admin,
                How::Submit {
                    page: format!("/moderation/reports/post-{post}"),
                    action: format!("/moderation/reports/post-{post}/resolve"),
                    fields: vec![fill("Moderator’s note", "reason", "  ")],
                    button: "Dismiss the reports",
                    hidden: vec![("action", "dismissed".into())],
                },
                invalid,
                POST_TITLE,
                "report-detail",
            )
            .errors(),
            spec("reports-mine", Admin, How::Get("/reports/mine".into()), ok, "My reports", "reports-mine"),
            spec("home", Nobody, How::Get("/".into()), ok, "Boards", "home").shot(),
            spec("home-member", Member, How::Get("/".into()), ok, "Boards", "home"),
            spec("board", Nobody, How::Get(format!("/categories/{board}")), ok, board_name, "board").shot(),
            spec("board-older", Nobody, How::Get(older), ok, board_name, "board-older"),
            spec(
                "category",
                Member,
                How::Get(format!("/categories/{}", self.category.0)),
                ok,
                &self.category.1,
                "category",
            ),
            spec(
                "board-empty",
                Nobody,
                How::Get(format!("/categories/{}", self.empty_board.0)),
                ok,
                &self.empty_board.1,
                "board-empty",
            ),
            spec("post", Nobody, How::Get(format!("/posts/{post}")), ok, POST_TITLE, "post").shot(),
            spec("post-author", Member, How::Get(format!("/posts/{post}")), ok, POST_TITLE, "post").shot(),
            spec("post-moderator", Admin, How::Get(format!("/posts/{post}")), ok, POST_TITLE, "post"),
            spec("post-locked", Member, How::Get(format!("/posts/{locked}")), ok, LOCKED_TITLE, "post-locked"),
            spec("post-locked-moderator", Admin, How::Get(format!("/posts/{locked}")), ok, LOCKED_TITLE, "post-locked"),
            spec(
                "post-comment-errors",
                Member,
                How::Submit {
                    page: format!("/posts/{post}"),
                    action: format!("/posts/{post}/comments"),
                    fields: vec![fill("Your comment", "content", "   ")],
                    button: "Add comment",
                    hidden: vec![],
                },
                invalid,
                POST_TITLE,
                "post",
            )
            .errors(),
            spec(
                "new-post",
                Member,
                How::Get(format!("/posts/new?category={}", self.category.0)),
                ok,
                "Write a post",
                "new-post",
            )
            .shot(),
            spec(
                "new-post-errors",
                Member,
                How::Submit {
                    page: format!("/posts/new?category={}", self.category.0),
                    action: "/posts".into(),
                    fields: vec![fill("Title", "title", " "), fill("Text", "content", "")],
                    button: "Publish",
                    hidden: vec![("category", self.category.0.to_string())],
                },
                invalid,
                "Write a post",
                "new-post",
            )
            .errors()
            .shot(),
            spec("edit-post", Member, How::Get(format!("/posts/{post}/edit")), ok, "Edit your post", "edit-post"),
            spec(
                "edit-comment",
                Member,
                How::Get(format!("/comments/{comment}/edit")),
                ok,
                "Edit your comment",
                "edit-comment",
            ),
            spec("history", Nobody, How::Get(format!("/posts/{post}/history")), ok, "History of", "history").shot(),
            spec(
                "comment-history",
                Nobody,
                How::Get(format!("/comments/{comment}/history")),
                ok,
                "History of a comment",
                "comment-history",
            ),
            spec("search", Nobody, How::Get("/search".into()), ok, "Search", "search"),
            spec("search-results", Nobody, How::Get(format!("/search?q={word}")), ok, "Search", "search-results")
                .shot(),
            spec("search-nothing", Nobody, How::Get("/search?q=qqqxyzzy".into()), ok, "Search", "search-nothing"),
            spec("signup", Nobody, How::Get("/signup".into()), ok, "Create an account", "signup").shot(),
            spec(
                "signup-errors",
                Nobody,
                How::Submit {
                    page: "/signup".into(),
                    action: "/signup".into(),
                    fields: vec![
                        fill("Name", "name", "ADA"),
                        fill("Email address", "email", "not an email"),
                        fill("Password", "password1", "short"),
                        fill("Password again", "password2", "different"),
                    ],
                    button: "Create account",
                    hidden: vec![],
                },
                invalid,
                "Create an account",
                "signup",
            )
            .errors()
            .shot(),
            spec("login", Nobody, How::Get("/login".into()), ok, "Log in", "login"),
            spec(
                "login-errors",
                Nobody,
                How::Submit {
                    page: "/login".into(),
                    action: "/login".into(),
                    fields: vec![
                        fill("Name or email address", "name", "bo"),
                        fill("Password", "password", "wrong password"),
                    ],
                    button: "Log in",
                    hidden: vec![],
                },
                invalid,
                "Log in",
                "login",
            )
            .errors(),
            spec("forgot", Nobody, How::Get("/password/forgot".into()), ok, "Forgot your password?", "forgot"),
            spec("forgot-sent", Nobody, How::Get("/password/forgot/sent".into()), ok, "Check your mail", "forgot-sent"),
            spec("reset", Nobody, How::Get(self.reset_path.clone()), ok, "Choose a new password", "reset"),
            spec(
                "reset-errors",
                Nobody,
                How::Submit {
                    page: self.reset_path.clone(),
                    action: self.reset_path.clone(),
                    fields: vec![
                        fill("New password", "password1", "short"),
                        fill("New password again", "password2", "different"),
                    ],
                    button: "Set the password",
                    hidden: vec![],
                },
                invalid,
                "Choose a new password",
                "reset",
            )
            .errors(),
            spec(
                "link-unusable",
                Nobody,
                How::Get("/password/reset/no-such-link".into()),
                StatusCode::GONE,
                "This link cannot be used",
                "link-unusable",
            ),
            spec(
                "email-verify",
                Nobody,
                How::Get(self.verify_path.clone()),
                ok,
                "Confirm your email address",
                "email-verify",
            ),
            spec("unsubscribe", Nobody, How::Get(self.unsubscribe_path.clone()), ok, "Stop these mails", "unsubscribe"),
            spec("admin-mail", Admin, How::Get("/admin/mail".into()), ok, "Mail", "admin-mail"),
            spec("settings", Member, How::Get("/settings".into()), ok, "Settings", "settings").shot(),
            spec(
                "settings-errors",
                Member,
                How::Submit {
                    page: "/settings".into(),
                    action: "/settings/password".into(),
                    fields: vec![
                        fill("Current password", "current_password", "not my password"),
                        fill("New password", "password1", "a new password"),
                        fill("New password again", "password2", "another password"),
                    ],
                    button: "Change password",
                    hidden: vec![],
                },
                invalid,
                "Settings",
                "settings",
            )
            .errors(),
            spec("profile", Nobody, How::Get("/users/bo".into()), ok, "bo", "profile"),
            // The member's notifications, and their mail settings (a section of /settings, above).
            spec("notifications", Member, How::Get("/notifications".into()), ok, "Notifications", "notifications"),
            spec("admin-users", Admin, How::Get("/admin/users".into()), ok, "Users", "admin-users").shot(),
            spec(
                "admin-registration",
                Admin,
                How::Get("/admin/registration".into()),
                ok,
                "Registration",
                "admin-registration",
            ),
            spec("modlog", Nobody, How::Get("/modlog".into()), ok, "Moderation log", "modlog"),
            spec("modlog-admin", Admin, How::Get("/modlog?kind=post_removed".into()), ok, "Moderation log", "modlog"),
            spec(
                "modlog-reason-errors",
                Admin,
                How::Submit {
                    page: format!("/posts/{post}"),
                    action: format!("/posts/{post}/delete"),
                    // Spaces pass the browser's `required` but not the server's rule.
                    fields: vec![fill("Reason for removing the post", "reason", "   ")],
                    button: "Delete post",
                    hidden: vec![],
                },
                invalid,
                "Delete post",
                "modlog-reason",
            )
            .errors(),
            spec(
                "admin-moderators",
                Admin,
                How::Get("/admin/moderators".into()),
                ok,
                "Board moderators",
                "admin-moderators",
            ),
            spec(
                "admin-moderators-errors",
                Admin,
                How::Submit {
                    page: "/admin/moderators".into(),
                    action: "/admin/moderators".into(),
                    fields: vec![fill("User name", "name", "nobody-by-this-name")],
                    button: "Add moderator",
                    hidden: vec![("category", board.to_string())],
                },
                invalid,
                "Board moderators",
                "admin-moderators",
            )
            .errors(),
            spec(
                "admin-categories",
                Admin,
                How::Get("/admin/categories".into()),
                ok,
                "Boards and categories",
                "admin-categories",
            ),
            spec(
                "admin-categories-errors",
                Admin,
                How::Submit {
                    page: "/admin/categories".into(),
                    action: "/admin/categories".into(),
                    fields: vec![fill("Name", "name", "  ")],
                    button: "Add",
                    hidden: vec![("parent", String::new())],
                },
                invalid,
                "Boards and categories",
                "admin-categories",
            )
            .errors(),
            spec(
                "admin-rename-errors",
                Admin,
                How::Submit {
                    page: "/admin/categories".into(),
                    action: format!("/admin/categories/{}/rename", self.empty_board.0),
                    fields: vec![Fill { label: "New name for Quiet corner", name: "name", value: " ".into() }],
                    button: "Rename",
                    hidden: vec![],
                },
                invalid,
                "Boards and categories",
                "admin-categories",
            )
            .errors(),
            spec(
                "not-found",
                Nobody,
                How::Get("/no/such/page".into()),
                StatusCode::NOT_FOUND,
                "Page not found",
                "not-found",
            )
            .shot(),
            spec(
                "forbidden",
                Member,
                How::Get("/admin/users".into()),
                StatusCode::FORBIDDEN,
                "Not allowed",
                "forbidden",
            ),
            spec(
                "too-large",
                Member,
                How::Oversized {
                    page: format!("/posts/{post}"),
                    action: format!("/posts/{post}/comments"),
                    label: "Your comment",
                    name: "content",
                    button: "Add comment",
                    bytes: 1_200_000,
                },
                StatusCode::PAYLOAD_TOO_LARGE,
                "Too large",
                "too-large",
            ),
        ];
        // Each thread tool sent back with a blank reason (spaces pass the browser's `required`
        // but not the server's rule): the post page again, with that tool's error.
        let tools = [
            ("lock", "Reason for locking", "Lock"),
            ("pin", "Reason for pinning", "Pin"),
            ("move", "Reason for moving", "Move"),
        ];
        specs.extend(tools.map(|(tool, label, button)| {
            let category = self.category.0.to_string();
            let how = How::Submit {
                page: format!("/posts/{post}"),
                action: format!("/posts/{post}/{tool}"),
                fields: vec![fill(label, "reason", "   ")],
                button,
                hidden: if tool == "move" { vec![("category", category)] } else { vec![] },
            };
            let name = match tool {
                "lock" => "thread-lock-errors",
                "pin" => "thread-pin-errors",
                _ => "thread-move-errors",
            };
            spec(name, Admin, how, invalid, POST_TITLE, "post").errors()
        }));
        specs
    }

    /// The page as the server sends it, over HTTP as `who`.
    pub async fn fetch(&self, spec: &Spec) -> Page {
        let b = self.client(spec.who);
        match &spec.how {
            How::Get(path) => b.get(path).await,
            How::Submit { action, fields, hidden, .. } => {
                let mut form: Vec<(&str, &str)> = fields.iter().map(|f| (f.name, f.value.as_str())).collect();
                form.extend(hidden.iter().map(|(k, v)| (*k, v.as_str())));
                b.post_form(action, &form).await
            }
            How::Oversized { action, name, bytes, .. } => {
                let body = format!("{name}={}", "a".repeat(*bytes));
                b.post_raw(action, "application/x-www-form-urlencoded", body.into_bytes()).await
            }
        }
    }

    /// Show the page in a browser, as `who` (its login cookie copied into the browser), in the
    /// language `lang` as the switcher's cookie asks for it (None: the default).
    pub async fn show_in(&self, s: &Session, spec: &Spec, lang: Option<&str>) {
        s.clear_cookies().await;
        if let Some(token) = self.client(spec.who).token() {
            s.set_cookie("forum_token", &token).await;
        }
        if let Some(lang) = lang {
            s.set_cookie("forum_lang", lang).await;
        }
        // The labels named in the catalogue are English; in another language the fields are found
        // by their names instead.
        let english = lang.is_none_or(|lang| lang == "en");
        match &spec.how {
            How::Get(path) => s.goto(path).await,
            How::Submit { page, action, fields, button, .. } => {
                s.goto(page).await;
                for f in fields {
                    if english {
                        s.fill(f.label, &f.value).await;
                    } else {
                        s.fill_named(action, f.name, &f.value).await;
                    }
                }
                if english {
                    s.submit_form_of(fields[0].label, button).await;
                } else {
                    s.submit_form_to(action).await;
                }
            }
            How::Oversized { page, action, label, name, button, bytes } => {
                s.goto(page).await;
                let field = if english { s.field(label).await } else { s.named_field(action, name).await };
                // Typing a megabyte would take minutes; the audit session may set the value directly.
                s.js(
                    "arguments[0].value = 'a'.repeat(arguments[1]);",
                    vec![serde_json::to_value(&field).expect("element reference"), (*bytes).into()],
                )
                .await;
                if english {
                    s.submit_form_of(label, button).await;
                } else {
                    s.submit_form_to(action).await;
                }
            }
        }
    }
}
