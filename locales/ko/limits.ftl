# 요청 제한: 제한에 걸린 요청에 보여 주는 안내(오류 페이지, 또는 입력한 내용을 그대로 둔 양식 위).

limit-try-again-seconds = 짧은 시간에 요청이 너무 많았습니다. { $seconds }초 뒤에 다시 시도해 주세요.
limit-try-again-minutes = 짧은 시간에 요청이 너무 많았습니다. { $minutes }분 뒤에 다시 시도해 주세요.
