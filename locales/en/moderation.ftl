# Board moderators (admin page) and the refusals of moderation.
admin-moderators-title = Board moderators · Admin
admin-moderators-heading = Board moderators
admin-moderators-intro = A board moderator can remove and restore posts and comments on their board and its categories only. Global moderators and admins moderate every board.
admin-moderators-add-heading = Make someone a board moderator
admin-moderators-user = User name
admin-moderators-board = Board
admin-moderators-choose-board = Choose a board
admin-moderators-add-submit = Add moderator
admin-moderators-list-heading = Moderators by board
admin-moderators-none = No board has a moderator of its own yet.
admin-moderators-remove = Remove
admin-moderators-remove-who = { $name } from { $board }
flash-moderator-added = { $name } now moderates that board.
flash-moderator-removed = Moderator removed.
error-no-such-user = No user has this name.
refusal-not-admin-moderators = Only an admin can choose board moderators.
refusal-not-a-board = Moderators are chosen for a board, not for a category.
