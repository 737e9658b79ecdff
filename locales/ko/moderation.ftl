# 게시판 운영자(관리자 페이지)와 운영 관련 거절 안내.
admin-moderators-title = 게시판 운영자 · 관리
admin-moderators-heading = 게시판 운영자
admin-moderators-intro = 게시판 운영자는 맡은 게시판과 그 카테고리의 글과 댓글만 삭제하고 복구할 수 있습니다. 전체 운영자와 관리자는 모든 게시판을 관리합니다.
admin-moderators-add-heading = 게시판 운영자 지정
admin-moderators-user = 사용자 이름
admin-moderators-board = 게시판
admin-moderators-choose-board = 게시판 선택
admin-moderators-add-submit = 운영자 지정
admin-moderators-list-heading = 게시판별 운영자
admin-moderators-none = 아직 따로 운영자가 지정된 게시판이 없습니다.
admin-moderators-remove = 해제
admin-moderators-remove-who = { $board }의 { $name }
flash-moderator-added = { $name } 님이 이제 해당 게시판을 관리합니다.
flash-moderator-removed = 운영자를 해제했습니다.
error-no-such-user = 이 이름의 사용자가 없습니다.
refusal-not-admin-moderators = 게시판 운영자는 관리자만 지정할 수 있습니다.
refusal-not-a-board = 운영자는 카테고리가 아니라 게시판 단위로 지정합니다.
