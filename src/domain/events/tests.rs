//! The stored shape of each event: JSON that every later version must read back.

use super::*;

/// Stored events are JSON in the `event` table, read back by every later version of the
/// forum: their shape must not change when the Rust types do (ids stay plain numbers).
#[test]
fn stored_events_keep_their_json_shape() {
    let post =
        PostRef { post_id: PostId(7), author_id: UserId(2), category_id: CategoryId(5), board_id: CategoryId(1) };
    let comment = CommentRef { comment_id: CommentId(9), author_id: UserId(3), post };
    let post_json = r#"{"post_id":7,"author_id":2,"category_id":5,"board_id":1}"#;
    let comment_json = format!(r#"{{"comment_id":9,"author_id":3,"post":{post_json}}}"#);
    let cases: Vec<(Event, String)> = vec![
        (
            Event::UserRegistered { user_id: UserId(2), name: "kim".into() },
            r#"{"type":"UserRegistered","user_id":2,"name":"kim"}"#.into(),
        ),
        (
            Event::UserRenamed { user_id: UserId(2), old_name: "kim".into(), new_name: "lee".into() },
            r#"{"type":"UserRenamed","user_id":2,"old_name":"kim","new_name":"lee"}"#.into(),
        ),
        (
            Event::UserRoleChanged { user_id: UserId(2), name: "kim".into() },
            r#"{"type":"UserRoleChanged","user_id":2,"name":"kim"}"#.into(),
        ),
        (
            Event::UserBlocked { user_id: UserId(2), name: "kim".into() },
            r#"{"type":"UserBlocked","user_id":2,"name":"kim"}"#.into(),
        ),
        (
            Event::UserUnblocked { user_id: UserId(2), name: "kim".into() },
            r#"{"type":"UserUnblocked","user_id":2,"name":"kim"}"#.into(),
        ),
        (
            Event::UserResigned { user_id: UserId(2), old_name: "kim".into() },
            r#"{"type":"UserResigned","user_id":2,"old_name":"kim"}"#.into(),
        ),
        (Event::CategoryAdded { category_id: CategoryId(5) }, r#"{"type":"CategoryAdded","category_id":5}"#.into()),
        (Event::CategoryRenamed { category_id: CategoryId(5) }, r#"{"type":"CategoryRenamed","category_id":5}"#.into()),
        (
            Event::BoardModeratorAdded { user_id: UserId(2), board_id: CategoryId(1) },
            r#"{"type":"BoardModeratorAdded","user_id":2,"board_id":1}"#.into(),
        ),
        (
            Event::BoardModeratorRemoved { user_id: UserId(2), board_id: CategoryId(1) },
            r#"{"type":"BoardModeratorRemoved","user_id":2,"board_id":1}"#.into(),
        ),
        (Event::PostCreated { post }, format!(r#"{{"type":"PostCreated","post":{post_json}}}"#)),
        (Event::PostEdited { post }, format!(r#"{{"type":"PostEdited","post":{post_json}}}"#)),
        (Event::PostDeleted { post }, format!(r#"{{"type":"PostDeleted","post":{post_json}}}"#)),
        (Event::PostRestored { post }, format!(r#"{{"type":"PostRestored","post":{post_json}}}"#)),
        (
            Event::PostVoteCast { post, voter_id: UserId(4) },
            format!(r#"{{"type":"PostVoteCast","post":{post_json},"voter_id":4}}"#),
        ),
        (
            Event::PostVoteWithdrawn { post, voter_id: UserId(4) },
            format!(r#"{{"type":"PostVoteWithdrawn","post":{post_json},"voter_id":4}}"#),
        ),
        (Event::CommentAdded { comment }, format!(r#"{{"type":"CommentAdded","comment":{comment_json}}}"#)),
        (Event::CommentEdited { comment }, format!(r#"{{"type":"CommentEdited","comment":{comment_json}}}"#)),
        (Event::CommentDeleted { comment }, format!(r#"{{"type":"CommentDeleted","comment":{comment_json}}}"#)),
        (Event::CommentRestored { comment }, format!(r#"{{"type":"CommentRestored","comment":{comment_json}}}"#)),
        (
            Event::CommentVoteCast { comment, voter_id: UserId(4) },
            format!(r#"{{"type":"CommentVoteCast","comment":{comment_json},"voter_id":4}}"#),
        ),
        (
            Event::CommentVoteWithdrawn { comment, voter_id: UserId(4) },
            format!(r#"{{"type":"CommentVoteWithdrawn","comment":{comment_json},"voter_id":4}}"#),
        ),
        (
            Event::NotificationsChanged { user_ids: vec![UserId(2), UserId(3)] },
            r#"{"type":"NotificationsChanged","user_ids":[2,3]}"#.into(),
        ),
        (Event::ForumSeeded { users: 10, posts: 100 }, r#"{"type":"ForumSeeded","users":10,"posts":100}"#.into()),
    ];
    for (event, json) in cases {
        assert_eq!(serde_json::to_string(&event).unwrap(), json, "{event:?} is written as");
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event, "{json} is read as");
    }
}

/// The moderators' events on threads, read by the moderation log: their shape stays too.
#[test]
fn thread_events_keep_their_json_shape() {
    let post =
        PostRef { post_id: PostId(7), author_id: UserId(2), category_id: CategoryId(5), board_id: CategoryId(1) };
    let post_json = r#"{"post_id":7,"author_id":2,"category_id":5,"board_id":1}"#;
    let cases: Vec<(Event, String)> = vec![
        (
            Event::ThreadLocked { post, moderator: UserId(4), reason: "flame war".into() },
            format!(r#"{{"type":"ThreadLocked","post":{post_json},"moderator":4,"reason":"flame war"}}"#),
        ),
        (
            Event::ThreadUnpinned { post, moderator: UserId(4), reason: "old".into() },
            format!(r#"{{"type":"ThreadUnpinned","post":{post_json},"moderator":4,"reason":"old"}}"#),
        ),
        (
            Event::PostMoved {
                post,
                from_category_id: CategoryId(3),
                from_board_id: CategoryId(1),
                was_active: true,
                moderator: UserId(4),
                reason: "off topic".into(),
            },
            format!(
                r#"{{"type":"PostMoved","post":{post_json},"from_category_id":3,"from_board_id":1,"was_active":true,"moderator":4,"reason":"off topic"}}"#
            ),
        ),
    ];
    for (event, json) in cases {
        assert_eq!(serde_json::to_string(&event).unwrap(), json, "{event:?} is written as");
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event, "{json} is read as");
        assert_eq!(event.moderation().map(|(who, _)| who), Some(UserId(4)), "{event:?} names its moderator");
    }
}

/// The report events, in the shape a moderation log will read them.
#[test]
fn report_events_keep_their_json_shape() {
    let cases: Vec<(Event, String)> = vec![
        (
            Event::ReportFiled {
                report_id: ReportId(3),
                item: ItemRef::Comment(CommentId(9)),
                board_id: CategoryId(1),
                reporter_id: UserId(4),
                reason: ReportReason::OffTopic,
            },
            r#"{"type":"ReportFiled","report_id":3,"item":{"comment":9},"board_id":1,"reporter_id":4,"reason":"off_topic"}"#
                .into(),
        ),
        (
            Event::ReportsResolved {
                item: ItemRef::Post(PostId(7)),
                board_id: CategoryId(1),
                moderator_id: UserId(5),
                action: Resolution::Dismissed,
                note: "fine".into(),
                reports: 2,
            },
            r#"{"type":"ReportsResolved","item":{"post":7},"board_id":1,"moderator_id":5,"action":"dismissed","note":"fine","reports":2}"#
                .into(),
        ),
    ];
    for (event, json) in cases {
        assert_eq!(serde_json::to_string(&event).unwrap(), json, "{event:?} is written as");
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event, "{json} is read as");
    }
}

/// The moderation log's event keeps its shape too (its kind as the stored name).
#[test]
fn the_moderation_event_keeps_its_json_shape() {
    let event = Event::ModeratorActed {
        action_id: ModerationActionId(3),
        kind: ModerationKind::PostRemoved,
        moderator_id: UserId(2),
        board_id: Some(CategoryId(1)),
        reason: Some("spam".into()),
        private: false,
    };
    let json = r#"{"type":"ModeratorActed","action_id":3,"kind":"post_removed","moderator_id":2,"board_id":1,"reason":"spam","private":false}"#;
    assert_eq!(serde_json::to_string(&event).unwrap(), json);
    assert_eq!(serde_json::from_str::<Event>(json).unwrap(), event);
}
