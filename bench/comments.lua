-- Posts a distinct comment per request: its own client address (in the
-- X-Bench-Client header the server is told to trust), e-mail address and
-- text, so no rate limit or duplicate check refuses it. Arguments: the
-- site's origin, then optionally a wait in ms between a connection's
-- requests (bench/spike.sh: a steady rate), then optionally a number added
-- to every comment's (a later round's comments are new ones). Prints one JSON line:
-- accepted comments (303 answers) per second, errors and latency.
local threads = {}
counter = 0
accepted = 0
refused = 0

setup = function(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

init = function(args)
  origin = args[1]
  offset = tonumber(args[3]) or 0
  local wait_ms = tonumber(args[2])
  if wait_ms then
    -- Only when asked: a delay function slows every request a little.
    delay = function()
      return wait_ms
    end
  end
end

request = function()
  counter = counter + 1
  local n = id * 10000000 + offset + counter
  local ip = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  local body = "name=Bench+Reader&email=reader" .. n .. "%40example.com&title=Bench+" .. n ..
    "&body=Comment+number+" .. n .. "+on+the+budget+and+the+schools.&agree=1"
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Bench-Client"] = ip,
    ["Origin"] = origin,
  }, body)
end

response = function(status, headers, body)
  if status == 303 then accepted = accepted + 1 else refused = refused + 1 end
end

done = function(summary, latency, requests)
  local ok, bad = 0, 0
  for _, t in ipairs(threads) do
    ok = ok + t:get("accepted")
    bad = bad + t:get("refused")
  end
  local e = summary.errors
  io.write(string.format(
    '{"accepted":%d,"refused":%d,"errors":%d,"accepted_per_s":%.1f,"p50_ms":%.3f,"p99_ms":%.3f}\n',
    ok, bad, e.connect + e.read + e.write + e.timeout, ok / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
