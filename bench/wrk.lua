-- wrk script of bench/run.py: POSTs one GraphQL request (a JSON file named after `--`) over
-- and over, counts answers that are not a 200 without `errors`, and prints one line of JSON.
--
--   wrk -t2 -c16 -d20s --latency -s bench/wrk.lua http://127.0.0.1:PORT/graphql -- body.json

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  wrk.body = file:read("*a")
  file:close()
  failures = 0
  example = ""
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    failures = failures + 1
    if example == "" then
      example = string.sub(body, 1, 200)
    end
  end
end

local function json_string(text)
  local escaped = text:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. escaped .. '"'
end

function done(summary, latency, requests)
  local failed, example = 0, ""
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    if example == "" then
      example = thread:get("example")
    end
  end
  local e = summary.errors
  io.write(string.format(
    '\nWRK-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "failed": %d, ' ..
    '"socket_errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d}, ' ..
    '"example_failure": %s}\n',
    summary.requests, summary.duration, summary.bytes, failed,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, json_string(example)))
end
