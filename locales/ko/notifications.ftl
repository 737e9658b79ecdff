## 알림: 머리글, 목록, 스레드 알림 끄기, 메일 설정, 수신 거부

nav-notifications = 알림
nav-notifications-unread = (읽지 않음 { $count })
notifications-title = 알림
notifications-none = 아직 알림이 없습니다.
notifications-read-all = 모두 읽음
notifications-unread-mark = 새 알림:
notifications-older = 이전 알림
notifications-pages-label = 알림 더 보기
notifications-someone = 알 수 없는 사용자
notifications-line-comment = { $actor }님이 회원님의 글 “{ $title }”에 댓글을 남겼습니다
notifications-line-reply = { $actor }님이 회원님이 댓글을 단 글 “{ $title }”에 답글을 남겼습니다
notifications-line-mention = { $actor }님이 “{ $title }”에서 회원님을 언급했습니다
notifications-line-moderation = 운영자({ $actor })가 “{ $title }”의 회원님 글을 조치했습니다
notifications-flash-all-read = 모든 알림을 읽음으로 표시했습니다.
notifications-flash-muted = 이 스레드의 답글 알림을 더 이상 받지 않습니다.
notifications-flash-unmuted = 이 스레드의 답글 알림을 다시 받습니다.
notifications-mute-thread = 알림 끄기
notifications-unmute-thread = 알림 켜기

notifications-kind-comment = 내 글에 달린 댓글
notifications-kind-reply = 내가 댓글을 단 글의 답글
notifications-kind-mention = 나를 언급한 글
notifications-kind-moderation = 내 글에 대한 운영자 조치
notifications-mail-heading = 알림 메일
notifications-mail-intro = 메일로도 받을 알림을 고르십시오.
notifications-mail-unverified = 메일은 인증된 주소로만 보냅니다. 주소를 인증하면 받을 수 있습니다.
notifications-mail-off = 받지 않음
notifications-mail-immediate = 바로 받기
notifications-mail-digest = 하루 요약으로 받기
notifications-mail-submit = 메일 설정 저장
notifications-flash-mail-saved = 메일 설정을 저장했습니다.

notifications-unsubscribe-title = 메일 수신 거부
notifications-unsubscribe-intro = 다음 메일을 더 이상 받지 않습니다: { $what }. 설정에서 다시 켤 수 있습니다.
notifications-unsubscribe-submit = 수신 거부
notifications-flash-unsubscribed = 다음 메일을 껐습니다: { $what }.

notifications-mail-subject = { $line }
notifications-mail-open = 포럼에서 보기: { $link }
notifications-mail-open-link = 포럼에서 보기
notifications-mail-footer = 설정에서 이 메일을 받기로 하셨기 때문에 보내 드립니다. 수신 거부: { $link }
notifications-mail-footer-link = 수신 거부
notifications-digest-subject = 오늘의 알림 요약: { $count }건
notifications-digest-intro = 지난 요약 이후 읽지 않은 알림입니다:
