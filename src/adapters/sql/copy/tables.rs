//! The tables `forum copy` moves, and their columns.

/// A column's kind, to read and write it through the `Any` driver.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Int,
    Text,
}
use Kind::{Int, Text};

/// A write table: its name, the integer column its rows are read in ranges of, its columns.
pub(super) struct Table {
    pub(super) name: &'static str,
    pub(super) range_by: &'static str,
    pub(super) columns: &'static [(&'static str, Kind)],
}

/// Every table that holds the forum's data, in an order where parents come first. (`role` and
/// `state` are filled by the migrations; the read model is rebuilt, not copied; the guards'
/// short-lived counters and keys, `signup_quota` and `form_key`, start afresh: they only
/// matter for a day.)
pub(super) const TABLES: &[Table] = &[
    Table { name: "forum_setting", range_by: "", columns: &[("name", Text), ("value", Text)] },
    Table {
        name: "user",
        range_by: "id",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("name_key", Text),
            ("name_skeleton", Text),
            ("password", Text),
            ("email", Text),
            ("email_key", Text),
            ("created_datetime", Int),
            ("role_id", Int),
            ("language", Text),
            ("time_zone", Text),
            ("email_verified_datetime", Int),
        ],
    },
    Table {
        name: "user_state",
        range_by: "id",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("state_id", Int),
            ("detail", Text),
            ("created_datetime", Int),
            ("until_datetime", Int),
        ],
    },
    Table {
        name: "logged_in",
        range_by: "id",
        columns: &[("id", Int), ("user_id", Int), ("created_datetime", Int), ("ended_datetime", Int)],
    },
    Table {
        name: "category",
        range_by: "id",
        columns: &[("id", Int), ("tier", Int), ("name", Text), ("parent_id", Int)],
    },
    Table {
        name: "post",
        range_by: "id",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("category_id", Int),
            ("created_datetime", Int),
            ("is_active", Int),
            ("is_locked", Int),
            ("lock_reason", Text),
            ("pinned_datetime", Int),
        ],
    },
    Table {
        name: "post_content",
        range_by: "id",
        columns: &[
            ("id", Int),
            ("version", Int),
            ("created_datetime", Int),
            ("title", Text),
            ("content", Text),
            ("post_id", Int),
        ],
    },
    Table { name: "voter_post", range_by: "post_id", columns: &[("user_id", Int), ("post_id", Int)] },
    Table {
        name: "comment",
        range_by: "id",
        columns: &[("id", Int), ("user_id", Int), ("post_id", Int), ("created_datetime", Int), ("is_active", Int)],
    },
    Table {
        name: "comment_content",
        range_by: "id",
        columns: &[("id", Int), ("version", Int), ("created_datetime", Int), ("content", Text), ("comment_id", Int)],
    },
    Table { name: "voter_comment", range_by: "comment_id", columns: &[("user_id", Int), ("comment_id", Int)] },
    Table {
        name: "event",
        range_by: "id",
        columns: &[("id", Int), ("created_datetime", Int), ("payload", Text), ("applied", Int)],
    },
    Table {
        name: "board_moderator",
        range_by: "",
        columns: &[("user_id", Int), ("board_id", Int), ("created_datetime", Int)],
    },
    Table {
        name: "thread_action",
        range_by: "id",
        columns: &[
            ("id", Int),
            ("post_id", Int),
            ("user_id", Int),
            ("action", Text),
            ("reason", Text),
            ("from_category_id", Int),
            ("to_category_id", Int),
            ("created_datetime", Int),
        ],
    },
    Table {
        name: "report_resolution",
        range_by: "id",
        columns: &[
            ("id", Int),
            ("item_kind", Text),
            ("item_id", Int),
            ("moderator_id", Int),
            ("action", Text),
            ("note", Text),
            ("created_datetime", Int),
        ],
    },
    Table {
        name: "report",
        range_by: "id",
        columns: &[
            ("id", Int),
            ("reporter_id", Int),
            ("item_kind", Text),
            ("item_id", Int),
            ("reason", Text),
            ("details", Text),
            ("created_datetime", Int),
            ("resolution_id", Int),
        ],
    },
    Table {
        name: "moderation_action",
        range_by: "id",
        columns: &[
            ("id", Int),
            ("kind", Text),
            ("moderator_id", Int),
            ("board_id", Int),
            ("post_id", Int),
            ("comment_id", Int),
            ("target_user_id", Int),
            ("reason", Text),
            ("is_private", Int),
            ("until_datetime", Int),
            ("created_datetime", Int),
        ],
    },
    Table {
        name: "notification",
        range_by: "id",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("kind", Text),
            ("actor_id", Int),
            ("post_id", Int),
            ("comment_id", Int),
            ("created_datetime", Int),
            ("read_datetime", Int),
            ("mailed_datetime", Int),
        ],
    },
    Table { name: "notification_mute", range_by: "post_id", columns: &[("user_id", Int), ("post_id", Int)] },
    Table {
        name: "notification_mail",
        range_by: "user_id",
        columns: &[("user_id", Int), ("kind", Text), ("mode", Text)],
    },
    Table {
        name: "notification_digest_run",
        range_by: "period",
        columns: &[("period", Int), ("created_datetime", Int)],
    },
    Table {
        name: "invite",
        range_by: "",
        columns: &[
            ("code", Text),
            ("created_by", Int),
            ("created_datetime", Int),
            ("used_by", Int),
            ("used_datetime", Int),
            ("revoked_datetime", Int),
        ],
    },
    Table {
        name: "mail_token",
        range_by: "",
        columns: &[
            ("token_hash", Text),
            ("purpose", Text),
            ("user_id", Int),
            ("email", Text),
            ("created_datetime", Int),
            ("expires_datetime", Int),
            ("used_datetime", Int),
        ],
    },
    Table {
        name: "mail_outbox",
        range_by: "id",
        columns: &[
            ("id", Int),
            ("recipient", Text),
            ("subject", Text),
            ("body_text", Text),
            ("body_html", Text),
            ("list_unsubscribe", Text),
            ("created_datetime", Int),
            ("due_datetime", Int),
            ("lease_until", Int),
            ("attempts", Int),
            ("sent_datetime", Int),
            ("failed_datetime", Int),
            ("last_error", Text),
        ],
    },
];
