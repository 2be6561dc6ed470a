-- EndToEnd's requests for wrk (-De2e.generator=wrk): each request carries a token from E2E_TOKENS (one a line).
-- E2E_MODE "random": each request from a client chosen uniformly at random (the distinct-token load);
-- otherwise the first token every time (the repeated token). At the end the requests, errors, duration and the
-- latency's p50 and p99 (microseconds) go to E2E_HIST, one "name value" a line.
local tokens, n = {}, 0
local mode = os.getenv("E2E_MODE")

function init(args)
  for line in io.lines(os.getenv("E2E_TOKENS")) do
    n = n + 1
    tokens[n] = "Bearer " .. line
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  local t = tokens[1]
  if mode == "random" then
    t = tokens[math.random(n)]
  end
  return wrk.format("GET", nil, { ["Authorization"] = t })
end

function done(summary, latency, requests)
  local f = io.open(os.getenv("E2E_HIST"), "w")
  f:write("requests ", summary.requests, "\n")
  f:write("errors ", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout, "\n")
  f:write("duration_us ", summary.duration, "\n")
  f:write("p50_us ", latency:percentile(50), "\n")
  f:write("p99_us ", latency:percentile(99), "\n")
  f:close()
end
