-- The request shape and the result file of one load run of scripts/bench.
--
-- scripts/bench starts wrk with this script and these environment variables:
--   BENCH_RESULT  where to write the result (one JSON object)
--   BENCH_METHOD  GET (default) or POST
--   BENCH_BODY    the request body (a url-encoded form), if any
--   BENCH_VARY    "1": replace "{n}" in the body by a number unique to each request
--   BENCH_PATHS   paths to GET in turn, one a line (scripts/soak's mixed reads)
-- Headers (cookie, origin, content type) come as wrk's -H flags.

local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
local vary = os.getenv("BENCH_VARY") == "1"
local result = os.getenv("BENCH_RESULT")

wrk.method = method
if body ~= "" then
  wrk.body = body
end

-- Each wrk thread runs its own copy of this script; `tag` tells the threads apart.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tag", threads)
end

-- BENCH_PATHS: GET these paths (one a line) in turn instead of the command line's one.
local paths = {}
for path in (os.getenv("BENCH_PATHS") or ""):gmatch("[^\n]+") do
  paths[#paths + 1] = path
end

local sent = 0
if #paths > 0 then
  function request()
    sent = sent + 1
    return wrk.format("GET", paths[(sent % #paths) + 1])
  end
elseif vary then
  function request()
    sent = sent + 1
    local n = tostring(tag or 0) .. "x" .. tostring(sent)
    return wrk.format(nil, nil, nil, (body:gsub("{n}", n)))
  end
end

function done(summary, latency, requests)
  if not result then
    return
  end
  local e = summary.errors
  local file = assert(io.open(result, "w"))
  file:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "p99_9": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
  file:close()
end
