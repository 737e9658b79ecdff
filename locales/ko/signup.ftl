# 가입 스팸과 중복 제출 방지: 가입 양식의 확인 장치, 가입 방식과 초대 코드, 새 계정의 제한.

signup-trap-label = 이 칸은 비워 두세요
field-invite = 초대 코드
signup-invite-hint = 받으신 코드를 입력해 주세요. 예: Qx7mR2kP9sLw
signup-invite-intro = 지금은 관리자에게 받은 초대 코드가 있어야 가입할 수 있습니다.
signup-closed-intro = 지금은 회원가입을 받지 않습니다. 기존 회원은 그대로 로그인할 수 있습니다.

error-signup-too-fast = 양식이 너무 빨리 제출되었습니다. 입력한 내용을 확인하고 다시 보내 주세요.
error-signup-expired = 양식을 연 지 너무 오래되었습니다. 입력한 내용을 확인하고 다시 보내 주세요.
error-signup-tampered = 양식을 확인할 수 없습니다. 입력한 내용을 확인하고 다시 보내 주세요.
error-signup-honeypot = 양식을 확인할 수 없습니다. 입력한 내용을 확인하고 다시 보내 주세요.
error-signup-too-many = 같은 네트워크에서는 하루에 계정을 { $max }개까지 만들 수 있는데, 오늘은 이미 모두 만들어졌습니다. 내일 다시 시도해 주세요.
error-signup-closed = 지금은 회원가입을 받지 않습니다.
error-invite-missing = 초대 코드를 입력해 주세요.
error-invite-unusable = 사용할 수 없는 초대 코드입니다. 잘못 입력했거나, 이미 사용되었거나, 취소된 코드입니다.
error-new-account-posts = 가입 후 { $hours }시간 동안은 글을 { $max }개까지 쓸 수 있고, 이미 모두 쓰셨습니다. 쓰신 내용은 아래에 그대로 있으니 나중에 올려 주세요.
error-new-account-comments = 가입 후 { $hours }시간 동안은 댓글을 { $max }개까지 쓸 수 있고, 이미 모두 쓰셨습니다. 쓰신 내용은 아래에 그대로 있으니 나중에 올려 주세요.
error-new-account-links = 가입 후 { $hours }시간 동안은 링크를 올릴 수 없습니다. 링크(웹 주소)를 지우고 다시 보내시거나, 나중에 올려 주세요.
refusal-not-admin-registration = 가입 방식은 관리자만 정할 수 있습니다.

admin-registration-title = 회원가입 · 관리
admin-registration-heading = 회원가입
registration-mode-legend = 가입할 수 있는 사람
registration-mode-open = 누구나
registration-mode-invite = 초대 코드가 있는 사람만
registration-mode-closed = 받지 않음 (가입 중단)
registration-mode-save = 저장
invites-heading = 초대 코드
invites-intro = 코드 하나로 계정 하나를 만들 수 있습니다. 초대할 분께 전해 주시고, 필요 없어지면 취소하세요.
invite-create = 초대 코드 만들기
invites-none = 아직 초대 코드가 없습니다.
invites-caption = 초대 코드 (최근 순)
invite-code = 코드
invite-created = 만든 때
invite-status = 상태
invite-unused = 아직 사용되지 않음
invite-used = { $name }님이 { $when }에 사용
invite-revoked = { $when }에 취소됨
invite-revoke = 취소
flash-registration-mode-set = 가입 방식을 저장했습니다.
flash-invite-created = 새 초대 코드: { $code }
flash-invite-revoked = 초대 코드 { $code }를 취소했습니다.
