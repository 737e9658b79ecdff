## Notifications: the header, the list, muting a thread, mail settings and unsubscribing.

nav-notifications = Notifications
nav-notifications-unread = { $count ->
    [one] ({ $count } unread)
   *[other] ({ $count } unread)
}
notifications-title = Notifications
notifications-none = You have no notifications yet.
notifications-read-all = Mark all as read
notifications-unread-mark = New:
notifications-older = Older notifications
notifications-pages-label = More notifications
notifications-someone = Someone
notifications-line-comment = { $actor } commented on your post “{ $title }”
notifications-line-reply = { $actor } replied in “{ $title }”, where you commented
notifications-line-mention = { $actor } mentioned you in “{ $title }”
notifications-line-moderation = A moderator ({ $actor }) acted on your writing in “{ $title }”
notifications-flash-all-read = All notifications are marked as read.
notifications-flash-muted = You will get no more reply notifications from this thread.
notifications-flash-unmuted = You will get reply notifications from this thread again.
notifications-mute-thread = Mute this thread
notifications-unmute-thread = Unmute this thread

notifications-kind-comment = A comment on my post
notifications-kind-reply = A reply in a thread I commented on
notifications-kind-mention = A mention of my name
notifications-kind-moderation = A moderator's action on my writing
notifications-mail-heading = Notification mail
notifications-mail-intro = Choose which notifications also come by e-mail.
notifications-mail-unverified = Mail is sent only to a verified address: verify yours to receive it.
notifications-mail-off = Not by mail
notifications-mail-immediate = By mail at once
notifications-mail-digest = In the daily digest
notifications-mail-submit = Save mail settings
notifications-flash-mail-saved = Your mail settings are saved.

notifications-unsubscribe-title = Stop these mails
notifications-unsubscribe-intro = Stop mail for: { $what }. You can switch it on again in your settings.
notifications-unsubscribe-submit = Stop these mails
notifications-flash-unsubscribed = Mail is off for: { $what }.

notifications-mail-subject = { $line }
notifications-mail-open = Open it: { $link }
notifications-mail-open-link = Open in the forum
notifications-mail-footer = You get this mail because you chose it in your settings. Stop these mails: { $link }
notifications-mail-footer-link = Stop these mails
notifications-digest-subject = { $count ->
    [one] Your daily digest: { $count } notification
   *[other] Your daily digest: { $count } notifications
}
notifications-digest-intro = Unread notifications since your last digest:
