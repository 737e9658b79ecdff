# Atom 피드: 피드 제목과, 페이지에 있는 피드 링크.

feed-newest-posts = 최신 글
feed-comments-on = “{ $title }”에 달린 댓글
feed-comment-title = { $name }님의 댓글
feed-link = Atom 피드
feed-link-comments = 댓글 Atom 피드
feed-member-posts = { $name }님의 글
