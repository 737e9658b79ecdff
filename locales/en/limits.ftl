# Rate limits: what a refused request is told, on the error page or above a form kept as typed.

limit-try-again-seconds = { $seconds ->
    [one] That was a lot in a short time. Please try again in a second.
   *[other] That was a lot in a short time. Please try again in { $seconds } seconds.
}
limit-try-again-minutes = { $minutes ->
    [one] That was a lot in a short time. Please try again in a minute.
   *[other] That was a lot in a short time. Please try again in { $minutes } minutes.
}
