# Sign-up spam and double submits: the sign-up form's guards, registration modes and invite
# codes, and what new accounts may not do yet.

signup-trap-label = Leave this field empty
field-invite = Invite code
signup-invite-hint = The code you were given, for example Qx7mR2kP9sLw.
signup-invite-intro = New accounts need an invite code from the forum's admins.
signup-closed-intro = Sign-up is closed for now. The forum's admins have stopped new accounts; existing members can still log in.

error-signup-too-fast = That was quicker than a person fills in this form. Check your details and send it again.
error-signup-expired = This form was open for too long. Check your details and send it again.
error-signup-tampered = This form could not be checked. Check your details and send it again.
error-signup-honeypot = This form could not be checked. Check your details and send it again.
error-signup-too-many = { $max ->
    [one] Only one account can be made from your network a day, and today's has been made. Please try again tomorrow.
   *[other] Only { $max } accounts can be made from your network a day, and today's have been made. Please try again tomorrow.
}
error-signup-closed = Sign-up is closed for now.
error-invite-missing = Enter your invite code.
error-invite-unusable = This invite code is not valid: it may be mistyped, already used or withdrawn.
error-new-account-posts = { $max ->
    [one] In its first { $hours } hours a new account can publish one post, and yours has. Your text is kept below; please post it later.
   *[other] In its first { $hours } hours a new account can publish { $max } posts, and yours has. Your text is kept below; please post it later.
}
error-new-account-comments = { $max ->
    [one] In its first { $hours } hours a new account can write one comment, and yours has. Your text is kept below; please post it later.
   *[other] In its first { $hours } hours a new account can write { $max } comments, and yours has. Your text is kept below; please post it later.
}
error-new-account-links = New accounts cannot post links in their first { $hours } hours. Remove the links (web addresses) and send it again, or post it later.
refusal-not-admin-registration = Only the forum's admins decide who may sign up.

admin-registration-title = Registration · Admin
admin-registration-heading = Registration
registration-mode-legend = Who may create an account
registration-mode-open = Anyone
registration-mode-invite = Only people with an invite code
registration-mode-closed = Nobody (sign-up closed)
registration-mode-save = Save
invites-heading = Invite codes
invites-intro = Each code creates one account. Give it to the person you invite; withdraw it if it is no longer needed.
invite-create = Create an invite code
invites-none = No invite codes yet.
invites-caption = Invite codes, newest first
invite-code = Code
invite-created = Created
invite-status = Status
invite-unused = Not used yet
invite-used = Used by { $name } on { $when }
invite-revoked = Withdrawn on { $when }
invite-revoke = Withdraw
flash-registration-mode-set = Saved: who may sign up.
flash-invite-created = New invite code: { $code }
flash-invite-revoked = Invite code { $code } withdrawn.
