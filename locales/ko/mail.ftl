# 비밀번호 재설정, 이메일 주소 인증, 관리자 메일 페이지.

## 메일
mail-greeting = { $name }님, 안녕하세요.
mail-reset-subject = 비밀번호 재설정 안내
mail-reset-body = 회원님 계정의 비밀번호 재설정 요청이 접수되었습니다. 아래 링크를 눌러 새 비밀번호를 설정해 주세요. 이 링크는 { $minutes }분 동안 한 번만 사용할 수 있습니다.
mail-reset-link = 새 비밀번호 설정하기
mail-reset-not-you = 본인이 요청하지 않으셨다면 이 메일을 무시하셔도 됩니다. 비밀번호는 변경되지 않습니다.
mail-verify-subject = 이메일 주소 인증 안내
mail-verify-body = 아래 링크를 눌러 이메일 주소 인증을 완료해 주세요. 이 링크는 { $hours }시간 동안 한 번만 사용할 수 있습니다.
mail-verify-link = 이메일 주소 인증하기
mail-verify-not-you = 회원가입이나 이메일 주소 변경을 하신 적이 없다면 이 메일을 무시하셔도 됩니다.
mail-changed-subject = 이메일 주소 변경 안내
mail-changed-body = 회원님 계정의 이메일 주소가 { $email }(으)로 변경되었습니다. 앞으로 계정 관련 메일은 새 주소로 발송됩니다.
mail-changed-not-you = 본인이 변경하지 않으셨다면 즉시 비밀번호를 재설정하고 운영진에게 알려 주세요.

## 비밀번호 찾기
login-forgot = 비밀번호를 잊으셨나요?
forgot-title = 비밀번호 찾기
forgot-heading = 비밀번호를 잊으셨나요?
forgot-intro = 이름이나 가입한 이메일 주소를 입력해 주세요. 인증된 주소라면 비밀번호 재설정 링크를 보내 드립니다.
forgot-submit = 재설정 링크 받기
forgot-back = 비밀번호가 생각나셨나요?
forgot-sent-title = 메일을 확인해 주세요
forgot-sent-heading = 메일을 확인해 주세요
forgot-sent-intro = 입력하신 이름이나 주소로 가입된 계정이 있고 주소가 인증되어 있다면 재설정 링크를 메일로 보내 드렸습니다. 링크는 한 시간 동안 사용할 수 있습니다.
reset-title = 새 비밀번호 설정
reset-heading = 새 비밀번호 설정
reset-intro = 비밀번호를 변경하면 모든 기기에서 로그아웃되며, 새 비밀번호로 다시 로그인하셔야 합니다.
reset-submit = 비밀번호 저장
link-unusable-title = 사용할 수 없는 링크
link-unusable-heading = 사용할 수 없는 링크입니다
link-unusable-intro = 링크가 만료되었거나 이미 사용되었습니다. 새 링크를 요청해 주세요.
link-unusable-again = 새 링크가 필요하신가요?
flash-password-reset = 비밀번호가 변경되어 모든 기기에서 로그아웃되었습니다. 새 비밀번호로 로그인해 주세요.
error-link-unusable = 링크가 만료되었거나 이미 사용되었습니다.

## 주소 인증
verify-title = 이메일 주소 인증
verify-heading = 이메일 주소 인증
verify-intro-plain = 이 주소가 본인의 주소인지 확인해 주세요.
verify-submit = 인증하기
flash-email-verified = 이메일 주소를 인증했습니다.
settings-email-verified = 인증된 이메일 주소입니다.
settings-email-unverified = 아직 인증되지 않은 이메일 주소입니다.
settings-email-resend = 인증 메일 다시 받기
flash-verification-sent = 새 인증 링크를 메일로 보냈습니다.
error-email-unverified = 글을 쓰려면 먼저 이메일 주소를 인증해야 합니다. 메일의 링크를 누르거나 설정(/settings)에서 인증 메일을 다시 받으세요.
refusal-not-admin-mail = 메일 관리는 관리자만 할 수 있습니다.

## 관리: 메일
admin-mail-title = 메일
admin-mail-heading = 메일
admin-mail-counts = 발송함
admin-mail-pending = 대기
admin-mail-sent = 발송
admin-mail-failed-count = 실패
admin-mail-require-legend = 글쓰기
admin-mail-require = 이메일 주소를 인증한 회원만 글과 댓글을 쓸 수 있음
admin-mail-save = 저장
admin-mail-failed = 발송 실패 메일
admin-mail-none-failed = 발송에 실패한 메일이 없습니다.
admin-mail-caption = 더 이상 재시도하지 않는 메일
admin-mail-to = 받는 사람
admin-mail-subject = 제목
admin-mail-attempts = 시도
admin-mail-error = 마지막 오류
admin-mail-when = 실패 시각
admin-mail-resend = 다시 보내기
flash-mail-resent = 메일을 다시 보냅니다.
flash-mail-settings-saved = 메일 설정을 저장했습니다.
