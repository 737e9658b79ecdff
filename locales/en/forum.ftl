# The forum's interface in English. Every message has the same key in locales/ko/forum.ftl;
# the unit tests fail on a key missing from either file or used nowhere.

language-name = English
site-name = Forum
skip-to-main = Skip to main content
nav-site-label = Site
nav-admin = Admin
nav-settings = Settings
nav-logout = Log out
nav-login = Log in
nav-signup = Sign up
search-posts = Search posts
search-submit = Search
footer-tagline = A forum that works in any browser, with or without JavaScript.
language-label = Language
language-submit = Change language
title-error-prefix = Error:{" "}
breadcrumb-label = Breadcrumb
pages-label = Pages

## Counts

count-posts = { $count ->
    [one] { $count } post
   *[other] { $count } posts
}
count-comments = { $count ->
    [one] { $count } comment
   *[other] { $count } comments
}
count-votes = { $count ->
    [one] { $count } vote
   *[other] { $count } votes
}

## Dates: the month names, January first (see src/web/format.rs for the order of the parts)

date-months = Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec

## Boards and lists

boards-title = Boards
boards-empty = There are no boards yet.
categories-of = Categories of { $name }
search-in = Search in { $name }
list-empty = No posts here yet.
list-newer = ← Newer posts
list-older = Older posts →
list-title-older = { $title } (older posts)
meta-by = by
meta-in = in
meta-edited = edited { $time }
meta-history = history
deleted-user = a deleted user

## Search

search-title = Search
search-title-for = Search: { $query }
search-words = Words to find
search-hint = Every word must appear at the start of a word in the title, the text or the author's name.
search-where = Where
search-everywhere = Everywhere
search-results = Results

## A post and its comments

post-deleted-notice = This post is deleted. Only moderators see it.
post-vote = Vote for this post
post-unvote = Take back my vote
post-delete = Delete post
post-restore = Restore post
action-edit = Edit
action-delete = Delete
action-restore = Restore
action-cancel = Cancel
comments-page = (page { $count })
comments-pages-label = Comment pages
comments-earlier = ← Earlier comments
comments-later = Later comments →
comment-edited = edited
comment-removed-notice = This comment was removed.
comment-vote = Vote
comment-unvote = Take back vote
comment-vote-hidden = on this comment
this-comment-hidden = this comment
comment-form-heading = Add a comment
comment-submit = Add comment
field-your-comment = Your comment
comment-hint = Markdown works here too.
login-to-comment-before = {""}
login-to-comment-link = Log in
login-to-comment-after = {" "}to comment or vote.

## Writing

new-post-title = New post
new-post-heading = Write a post
new-post-submit = Publish
edit-post-title = Edit post
edit-post-heading = Edit your post
save-new-version = Save a new version
field-category = Board or category
choose-option = Choose…
field-title = Title
field-text = Text
post-content-hint = Markdown: **bold**, *italic*, `code`, [links](https://example.com), lists. Up to { $max } characters.
edit-comment-title = Edit comment
edit-comment-heading = Edit your comment
edit-comment-changed-mind = Changed your mind?
back-to-post = Back to the post

## History

history-post-heading = History of “{ $title }”
history-comment-heading = History of a comment on “{ $title }”
history-back = Back
history-csv = Download as CSV
history-version = Version { $count }
history-title-changed = Title changed from “{ $old }” to “{ $new }”.
history-lines-added = { $count ->
    [one] { $count } line added
   *[other] { $count } lines added
}
history-lines-removed = { $count ->
    [one] { $count } line removed.
   *[other] { $count } lines removed.
}
history-added = added:
history-removed = removed:

## Accounts

signup-title = Sign up
signup-heading = Create an account
signup-submit = Create account
signup-have-account = Already have an account?
signup-name-hint = 2 to 32 letters or digits (any alphabet), _ or -. Others see this name.
signup-password-hint = 8 to 128 characters; all of them count.
login-new-here = New here?
field-name = Name
field-email = Email address
field-password = Password
field-password-again = Password again
field-name-or-email = Name or email address
field-current-password = Current password
field-new-password = New password
field-new-password-again = New password again
field-password-to-confirm = Your password, to confirm
profile-title = Profile of { $name }
profile-role = Role
profile-state = State
profile-joined = Joined
profile-posts = Posts
profile-comments = Comments
role-admin = admin
role-moderator = moderator
role-member = member
state-blocked = blocked
state-active = active

## Settings

settings-title = Settings
settings-preferences-heading = Language and time zone
settings-language = Language
settings-language-default = As the browser asks (or the forum's default)
settings-time-zone = Time zone
settings-time-zone-default = The forum's ({ $zone })
settings-preferences-submit = Save language and time zone
settings-profile-heading = Name and email
settings-profile-submit = Save name and email
settings-password-submit = Change password
settings-new-password-hint = 8 to 128 characters. Your other sessions will be logged out.
settings-resign-heading = Delete your account
settings-resign-submit = Delete my account
settings-resign-hint = Your name, email and password are erased. Your posts and comments stay, shown as by a deleted user.

## Admin

admin-users-title = Users · Admin
admin-users-heading = Users
admin-users-caption = Users, newest first
admin-unblock = Unblock
admin-block = Block
admin-block-reason = Reason to block { $name }
admin-older-users = Older users
admin-categories-title = Boards and categories · Admin
admin-categories-heading = Boards and categories
admin-add-heading = Add a board or a category
admin-add-submit = Add
admin-where = Where
admin-new-board = A new board
admin-category-in = A category in { $board }
admin-rename-heading = Rename
admin-new-name-for = New name for { $name }
admin-rename-submit = Rename

## Flash messages

flash-welcome = Welcome, { $name }! Your account is ready.
flash-logged-in = Logged in as { $name }.
flash-logged-out = You are logged out.
flash-profile-saved = Your name and email are saved.
flash-preferences-saved = Your language and time zone are saved.
flash-password-changed = Your password is changed. Your other sessions are logged out.
flash-resigned = Your account is deleted. Goodbye!
flash-post-published = Your post is published.
flash-post-updated = Your post is updated.
flash-post-deleted = The post is deleted.
flash-post-restored = The post is restored.
flash-comment-added = Your comment is added.
flash-comment-updated = Your comment is updated.
flash-comment-removed = The comment is removed.
flash-comment-restored = The comment is restored.
flash-vote-cast = Your vote is counted.
flash-vote-withdrawn = Your vote is taken back.
flash-user-blocked = The user is blocked and logged out everywhere.
flash-not-blocked = Not blocked: { $reason }
flash-user-unblocked = The user is unblocked.
flash-board-added = The board “{ $name }” is added.
flash-category-added = The category “{ $name }” is added.
flash-renamed = Renamed to “{ $name }”.

## Form errors

error-summary-title = There is a problem
error-rename-refused = That name cannot be used.
error-name-blank = Enter a name.
error-name-length = A name has { $min } to { $max } characters.
error-name-characters = A name may only have letters, digits, _ and -.
error-name-taken = That name is already taken.
error-name-looks-taken = That name looks too much like one that is taken; choose another.
error-name-mixed-scripts = A name may not mix alphabets that look alike, such as Latin with Cyrillic or Greek letters.
error-email-blank = Enter an email address.
error-email-shape = Enter a valid email address, like name@example.com.
error-email-taken = That email address is already registered.
error-password-too-short = A password needs at least { $min } characters.
error-password-too-long = A password has at most { $max } characters.
error-password-mismatch = The passwords do not match.
error-not-current-password = That is not your current password.
error-wrong-password = That is not your password.
error-wrong-login = Wrong name or password.
error-blocked = This account is blocked: { $reason }
error-blocked-no-reason = This account is blocked: no reason was given
error-title-blank = Enter a title.
error-title-too-long = A title has at most { $max } characters.
error-body-blank = Write something first.
error-body-too-long = At most { $max } characters, please (this has { $actual }).
error-no-category = Choose a board or category for the post.
error-category-name-too-long = A name has at most { $max } characters.
error-category-name-control = A name cannot contain control characters.
error-parent-not-a-choice = Choose a board from the list.
error-parent-missing = That board does not exist.
error-parent-not-a-board = Categories go under a board; the tree has two tiers.
error-block-reason-blank = Say why the account is blocked; the user is shown this.
error-block-reason-too-long = Keep the reason under { $max } characters.

## Refusals (403)

refusal-not-admin-blocking = Only an admin can block or unblock users.
refusal-not-admin-boards = Only an admin can change boards and categories.
refusal-not-admin-pages = This page is for the forum's admins.
refusal-blocking-yourself = You cannot block yourself.
refusal-blocking-an-admin = Admins cannot be blocked; change their role first.
refusal-not-author = Only the author can edit this.
refusal-not-author-or-moderator-post = Only the author or a moderator can delete this post.
refusal-not-author-or-moderator-comment = Only the author or a moderator can delete this comment.
refusal-post-has-comments = A post with comments cannot be deleted by its author; ask a moderator.
refusal-not-moderator = Only a moderator can restore.
refusal-own-writing = You cannot vote on your own writing.
refusal-account-inactive = Your account cannot do this any more.

## Error pages

error-status = Error { $count }
error-go-home = Go to the front page
error-cross-site-form = This form was sent from another site, so it was refused. Open the page on this forum and try again.
error-400-heading = Bad request
error-400-detail = The request could not be understood.
error-403-heading = Not allowed
error-403-detail = You are not allowed to do that.
error-404-heading = Page not found
error-404-detail = There is nothing at this address. It may have been moved or deleted.
error-405-heading = Method not allowed
error-405-detail = This address does not take that kind of request.
error-413-heading = Too large
error-413-detail = What you sent is larger than the forum accepts. Please shorten it and try again.
error-422-heading = Cannot process this
error-422-detail = The form could not be read. Please go back and try again.
error-429-heading = Too many requests
error-429-detail = Please wait a moment before trying again.
error-500-heading = Something went wrong
error-500-detail = The forum hit an error. It has been logged; please try again.
error-503-heading = Service unavailable
error-503-detail = The forum is busy or could not finish in time. Please try again shortly.
error-other-heading = Error
error-other-detail = The request could not be completed.
error-database-unavailable = The forum cannot reach its data right now. Please try again in a moment.
error-not-saved-now = The forum cannot save this right now. Nothing was lost: what you typed is still in the form below. Please send it again in a moment.
form-chosen-category = The board you chose
