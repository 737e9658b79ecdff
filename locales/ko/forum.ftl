# 포럼 화면의 한국어. 모든 메시지는 locales/en/forum.ftl 과 같은 키를 씁니다.
# 어느 한쪽에 빠진 키나 쓰이지 않는 키가 있으면 단위 테스트가 실패합니다.

language-name = 한국어
site-name = 포럼
skip-to-main = 본문 바로가기
nav-site-label = 사이트
nav-admin = 관리
nav-settings = 설정
nav-logout = 로그아웃
nav-login = 로그인
nav-signup = 회원가입
search-posts = 글 검색
search-submit = 검색
footer-tagline = 어떤 브라우저에서도, 자바스크립트 없이도 쓸 수 있는 포럼입니다.
language-label = 언어
language-submit = 언어 바꾸기
title-error-prefix = 오류:{" "}
breadcrumb-label = 현재 위치
pages-label = 페이지

## 개수 (한국어는 단수·복수 구분이 없습니다)

count-posts = 글 { $count }개
count-comments = 댓글 { $count }개
count-votes = 추천 { $count }

## 날짜: 월 이름, 1월부터 (순서는 src/web/format.rs)

date-months = 1월 2월 3월 4월 5월 6월 7월 8월 9월 10월 11월 12월

## 게시판과 목록

boards-title = 게시판
boards-empty = 아직 게시판이 없습니다.
categories-of = { $name }의 분류
search-in = { $name }에서 검색
list-empty = 아직 글이 없습니다.
list-newer = ← 최근 글
list-older = 이전 글 →
list-title-older = { $title } (이전 글)
meta-by = 글쓴이
meta-in = 분류
meta-edited = { $time } 수정됨
meta-history = 수정 내역
deleted-user = 탈퇴한 사용자

## 검색

search-title = 검색
search-title-for = 검색: { $query }
search-words = 검색어
search-hint = 입력한 모든 단어가 제목, 본문 또는 글쓴이 이름에 있는 단어의 앞부분과 맞아야 합니다.
search-where = 검색 범위
search-everywhere = 전체
search-results = 검색 결과

## 글과 댓글

post-deleted-notice = 삭제된 글입니다. 운영진에게만 보입니다.
post-vote = 이 글 추천하기
post-unvote = 추천 취소
post-delete = 글 삭제
post-restore = 글 복구
action-edit = 수정
action-delete = 삭제
action-restore = 복구
action-cancel = 취소
comments-page = ({ $count }쪽)
comments-pages-label = 댓글 페이지
comments-earlier = ← 이전 댓글
comments-later = 다음 댓글 →
comment-edited = 수정됨
comment-removed-notice = 삭제된 댓글입니다.
comment-vote = 추천
comment-unvote = 추천 취소
comment-vote-hidden = (이 댓글)
this-comment-hidden = (이 댓글)
comment-form-heading = 댓글 쓰기
comment-submit = 댓글 등록
field-your-comment = 댓글
comment-hint = 여기서도 마크다운을 쓸 수 있습니다.
login-to-comment-before = 댓글을 쓰거나 추천하려면{" "}
login-to-comment-link = 로그인
login-to-comment-after = 하세요.

## 글쓰기

new-post-title = 새 글 쓰기
new-post-heading = 새 글 쓰기
new-post-submit = 등록
edit-post-title = 글 수정
edit-post-heading = 글 수정하기
save-new-version = 수정한 내용 저장
field-category = 게시판 또는 분류
choose-option = 선택하세요…
field-title = 제목
field-text = 본문
post-content-hint = 마크다운: **굵게**, *기울임*, `코드`, [링크](https://example.com), 목록. 최대 { $max }자.
edit-comment-title = 댓글 수정
edit-comment-heading = 댓글 수정하기
edit-comment-changed-mind = 수정하지 않으시겠어요?
back-to-post = 글로 돌아가기

## 수정 내역

history-post-heading = “{ $title }” 수정 내역
history-comment-heading = “{ $title }”에 달린 댓글의 수정 내역
history-back = 돌아가기
history-csv = CSV로 내려받기
history-version = 버전 { $count }
history-title-changed = 제목이 “{ $old }”에서 “{ $new }”(으)로 바뀌었습니다.
history-lines-added = { $count }줄 추가
history-lines-removed = { $count }줄 삭제
history-added = 추가:
history-removed = 삭제:

## 계정

signup-title = 회원가입
signup-heading = 회원가입
signup-submit = 가입하기
signup-have-account = 이미 계정이 있으신가요?
signup-name-hint = 2~32자의 글자(어떤 문자든)나 숫자, _ 또는 -. 다른 사람에게 보이는 이름입니다.
signup-password-hint = 8~128자. 입력한 모든 글자가 쓰입니다.
login-new-here = 처음 오셨나요?
field-name = 이름
field-email = 이메일 주소
field-password = 비밀번호
field-password-again = 비밀번호 확인
field-name-or-email = 이름 또는 이메일 주소
field-current-password = 현재 비밀번호
field-new-password = 새 비밀번호
field-new-password-again = 새 비밀번호 확인
field-password-to-confirm = 확인을 위해 비밀번호를 입력하세요
profile-title = { $name }님의 프로필
profile-role = 등급
profile-state = 상태
profile-joined = 가입일
profile-posts = 글
profile-comments = 댓글
role-admin = 관리자
role-moderator = 운영진
role-member = 회원
state-blocked = 차단됨
state-active = 활동 중

## 설정

settings-title = 설정
settings-preferences-heading = 언어와 시간대
settings-language = 언어
settings-language-default = 브라우저 설정에 따름 (없으면 포럼 기본값)
settings-time-zone = 시간대
settings-time-zone-default = 포럼 기본값 ({ $zone })
settings-preferences-submit = 언어와 시간대 저장
settings-profile-heading = 이름과 이메일
settings-profile-submit = 이름과 이메일 저장
settings-password-submit = 비밀번호 변경
settings-new-password-hint = 8~128자. 다른 기기의 로그인은 모두 로그아웃됩니다.
settings-resign-heading = 회원 탈퇴
settings-resign-submit = 탈퇴하기
settings-resign-hint = 이름, 이메일, 비밀번호가 지워집니다. 쓴 글과 댓글은 남고, 탈퇴한 사용자의 글로 보입니다.

## 관리

admin-users-title = 회원 · 관리
admin-users-heading = 회원
admin-users-caption = 회원 목록, 최근 가입순
admin-unblock = 차단 해제
admin-block = 차단
admin-block-reason = { $name }님을 차단하는 이유
admin-older-users = 이전 회원
admin-categories-title = 게시판과 분류 · 관리
admin-categories-heading = 게시판과 분류
admin-add-heading = 게시판 또는 분류 추가
admin-add-submit = 추가
admin-where = 위치
admin-new-board = 새 게시판
admin-category-in = { $board }의 분류
admin-rename-heading = 이름 바꾸기
admin-new-name-for = { $name }의 새 이름
admin-rename-submit = 이름 바꾸기

## 알림 메시지

flash-welcome = { $name }님, 환영합니다! 계정이 만들어졌습니다.
flash-logged-in = { $name }(으)로 로그인했습니다.
flash-logged-out = 로그아웃했습니다.
flash-profile-saved = 이름과 이메일을 저장했습니다.
flash-preferences-saved = 언어와 시간대를 저장했습니다.
flash-password-changed = 비밀번호를 바꿨습니다. 다른 기기의 로그인은 모두 로그아웃됐습니다.
flash-resigned = 탈퇴했습니다. 그동안 고마웠습니다!
flash-post-published = 글을 등록했습니다.
flash-post-updated = 글을 수정했습니다.
flash-post-deleted = 글을 삭제했습니다.
flash-post-restored = 글을 복구했습니다.
flash-comment-added = 댓글을 등록했습니다.
flash-comment-updated = 댓글을 수정했습니다.
flash-comment-removed = 댓글을 삭제했습니다.
flash-comment-restored = 댓글을 복구했습니다.
flash-vote-cast = 추천했습니다.
flash-vote-withdrawn = 추천을 취소했습니다.
flash-user-blocked = 회원을 차단했습니다. 모든 기기에서 로그아웃됐습니다.
flash-not-blocked = 차단하지 못했습니다: { $reason }
flash-user-unblocked = 회원 차단을 해제했습니다.
flash-board-added = “{ $name }” 게시판을 추가했습니다.
flash-category-added = “{ $name }” 분류를 추가했습니다.
flash-renamed = 이름을 “{ $name }”(으)로 바꿨습니다.

## 입력 오류

error-summary-title = 입력한 내용을 확인해 주세요
error-rename-refused = 쓸 수 없는 이름입니다.
error-name-blank = 이름을 입력해 주세요.
error-name-length = 이름은 { $min }~{ $max }자로 입력해 주세요.
error-name-characters = 이름에는 글자, 숫자, _, -만 쓸 수 있습니다.
error-name-taken = 이미 쓰이고 있는 이름입니다.
error-name-looks-taken = 이미 있는 이름과 너무 비슷해 보입니다. 다른 이름을 골라 주세요.
error-name-mixed-scripts = 이름에 비슷해 보이는 다른 문자(로마자와 키릴 문자, 그리스 문자 등)를 섞어 쓸 수 없습니다.
error-email-blank = 이메일 주소를 입력해 주세요.
error-email-shape = 올바른 이메일 주소를 입력해 주세요. (예: name@example.com)
error-email-taken = 이미 가입된 이메일 주소입니다.
error-password-too-short = 비밀번호는 { $min }자 이상이어야 합니다.
error-password-too-long = 비밀번호는 { $max }자까지 쓸 수 있습니다.
error-password-mismatch = 비밀번호가 서로 다릅니다.
error-not-current-password = 현재 비밀번호가 맞지 않습니다.
error-wrong-password = 비밀번호가 맞지 않습니다.
error-wrong-login = 이름 또는 비밀번호가 맞지 않습니다.
error-blocked = 차단된 계정입니다. 사유: { $reason }
error-blocked-no-reason = 차단된 계정입니다. (사유 없음)
error-title-blank = 제목을 입력해 주세요.
error-title-too-long = 제목은 { $max }자까지 쓸 수 있습니다.
error-body-blank = 내용을 입력해 주세요.
error-body-too-long = { $max }자까지 쓸 수 있습니다. (지금 { $actual }자)
error-no-category = 글을 올릴 게시판이나 분류를 골라 주세요.
error-category-name-too-long = 이름은 { $max }자까지 쓸 수 있습니다.
error-category-name-control = 이름에 제어 문자를 쓸 수 없습니다.
error-parent-not-a-choice = 목록에서 게시판을 골라 주세요.
error-parent-missing = 없는 게시판입니다.
error-parent-not-a-board = 분류는 게시판 아래에만 만들 수 있습니다. (두 단계까지)
error-block-reason-blank = 차단 사유를 입력해 주세요. 차단된 회원에게 보입니다.
error-block-reason-too-long = 사유는 { $max }자 이내로 입력해 주세요.

## 권한 없음 (403)

refusal-not-admin-blocking = 회원 차단과 해제는 관리자만 할 수 있습니다.
refusal-not-admin-boards = 게시판과 분류는 관리자만 바꿀 수 있습니다.
refusal-not-admin-pages = 관리자 전용 페이지입니다.
refusal-blocking-yourself = 자기 자신은 차단할 수 없습니다.
refusal-blocking-an-admin = 관리자는 차단할 수 없습니다. 먼저 등급을 바꿔 주세요.
refusal-not-author = 글쓴이만 수정할 수 있습니다.
refusal-not-author-or-moderator-post = 글쓴이나 운영진만 이 글을 삭제할 수 있습니다.
refusal-not-author-or-moderator-comment = 글쓴이나 운영진만 이 댓글을 삭제할 수 있습니다.
refusal-post-has-comments = 댓글이 달린 글은 글쓴이가 삭제할 수 없습니다. 운영진에게 요청해 주세요.
refusal-not-moderator = 운영진만 복구할 수 있습니다.
refusal-own-writing = 자기 글에는 추천할 수 없습니다.
refusal-account-inactive = 이 계정으로는 더 이상 할 수 없는 일입니다.

## 오류 페이지

error-status = 오류 { $count }
error-go-home = 첫 페이지로 가기
error-cross-site-form = 다른 사이트에서 보낸 양식이라 받지 않았습니다. 이 포럼에서 페이지를 열고 다시 시도해 주세요.
error-400-heading = 잘못된 요청
error-400-detail = 요청을 이해하지 못했습니다.
error-403-heading = 권한 없음
error-403-detail = 이 작업을 할 권한이 없습니다.
error-404-heading = 페이지를 찾을 수 없음
error-404-detail = 이 주소에는 아무것도 없습니다. 옮겨졌거나 삭제됐을 수 있습니다.
error-405-heading = 허용되지 않는 요청
error-405-detail = 이 주소는 그런 종류의 요청을 받지 않습니다.
error-413-heading = 너무 큼
error-413-detail = 보낸 내용이 포럼이 받을 수 있는 크기보다 큽니다. 줄여서 다시 시도해 주세요.
error-422-heading = 처리할 수 없음
error-422-detail = 양식을 읽지 못했습니다. 돌아가서 다시 시도해 주세요.
error-429-heading = 요청이 너무 많음
error-429-detail = 잠시 후 다시 시도해 주세요.
error-500-heading = 문제가 생겼습니다
error-500-detail = 포럼에 오류가 났습니다. 기록해 두었으니 다시 시도해 주세요.
error-503-heading = 서비스를 이용할 수 없음
error-503-detail = 포럼이 바쁘거나 제시간에 끝내지 못했습니다. 잠시 후 다시 시도해 주세요.
error-other-heading = 오류
error-other-detail = 요청을 끝내지 못했습니다.
error-database-unavailable = 지금은 포럼의 데이터를 불러올 수 없습니다. 잠시 후 다시 시도해 주세요.
error-not-saved-now = 지금은 저장할 수 없습니다. 입력하신 내용은 그대로 아래 양식에 남아 있으니, 잠시 후 다시 보내 주세요.
form-chosen-category = 선택한 게시판
