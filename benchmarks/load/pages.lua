-- wrk script: every request is a signed-in person asking for a dashboard page.
-- Reads PLAN (one "cookie<TAB>path" per line) from the file named by the environment variable
-- EQUITABLE_LOAD_PLAN; each thread walks the plan from its own starting point. At the end
-- prints one JSON line with the latency percentiles (microseconds) and the non-2xx count.
local plan = {}
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("EQUITABLE_LOAD_PLAN")) do
    local cookie, path = line:match("([^\t]+)\t(.+)")
    table.insert(plan, {cookie = cookie, path = path})
  end
  position = (id * 7) % #plan
  failures = 0
end

function request()
  position = position % #plan + 1
  local step = plan[position]
  return wrk.format("GET", step.path, {["Cookie"] = step.cookie})
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
  end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, failed,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
