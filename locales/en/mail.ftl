# Password reset, verified addresses and the admin's mail page.

## Mails
mail-greeting = Hello { $name },
mail-reset-subject = Reset your password
mail-reset-body = Someone (we hope you) asked to reset the password of your account. The link below lets you choose a new one; it works once, for { $minutes } minutes.
mail-reset-link = Choose a new password
mail-reset-not-you = If you did not ask for this, ignore this mail: your password stays as it is.
mail-verify-subject = Confirm your email address
mail-verify-body = Please confirm that this address is yours. The link below works once, for { $hours } hours.
mail-verify-link = Confirm this address
mail-verify-not-you = If you did not sign up or change your address, ignore this mail.
mail-changed-subject = Your email address was changed
mail-changed-body = The email address of your account was changed to { $email }. From now on, mail about your account goes there.
mail-changed-not-you = If you did not change it, reset your password at once and tell the forum's admins.

## Forgotten password
login-forgot = Forgot your password?
forgot-title = Forgotten password
forgot-heading = Forgot your password?
forgot-intro = Type your name or the email address of your account. If the address is verified, we send it a link to choose a new password.
forgot-submit = Send the link
forgot-back = Remembered it?
forgot-sent-title = Check your mail
forgot-sent-heading = Check your mail
forgot-sent-intro = If an account with that name or address exists and its address is verified, a mail with a link is on its way. The link works for one hour.
reset-title = Choose a new password
reset-heading = Choose a new password
reset-intro = After this, every session of your account is logged out, and you log in with the new password.
reset-submit = Set the password
link-unusable-title = This link cannot be used
link-unusable-heading = This link cannot be used
link-unusable-intro = This link has expired or was already used. Ask for a new one.
link-unusable-again = Need a new link?
flash-password-reset = Your password is changed and every session is logged out. Log in with the new password.
error-link-unusable = This link has expired or was already used.

## Verification
verify-title = Confirm your email address
verify-heading = Confirm your email address
verify-intro-plain = Confirm that this address is yours.
verify-submit = Confirm
flash-email-verified = Your email address is confirmed.
settings-email-verified = Your email address is confirmed.
settings-email-unverified = Your email address is not confirmed yet.
settings-email-resend = Send the link again
flash-verification-sent = We sent a new link to your address.
error-email-unverified = Confirm your email address before you post: the link is in your mail, or send it again from Settings (/settings).
refusal-not-admin-mail = Only an admin can see the forum's mail.

## Admin: mail
admin-mail-title = Mail
admin-mail-heading = Mail
admin-mail-counts = Outbox
admin-mail-pending = Waiting
admin-mail-sent = Sent
admin-mail-failed-count = Failed
admin-mail-require-legend = Posting
admin-mail-require = Members need a confirmed email address before they post or comment
admin-mail-save = Save
admin-mail-failed = Failed mail
admin-mail-none-failed = No mail has failed.
admin-mail-caption = Mails that will not be tried again
admin-mail-to = To
admin-mail-subject = Subject
admin-mail-attempts = Attempts
admin-mail-error = Last error
admin-mail-when = Failed
admin-mail-resend = Send again
flash-mail-resent = The mail will be sent again.
flash-mail-settings-saved = The mail settings are saved.
