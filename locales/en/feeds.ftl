# Atom feeds: their titles, and the links to them on the pages.

feed-newest-posts = Newest posts
feed-comments-on = Comments on “{ $title }”
feed-comment-title = Comment by { $name }
feed-link = Atom feed
feed-link-comments = Atom feed of the comments
feed-member-posts = Posts by { $name }
