-- Comments at a steady rate for bench/spike.sh: bench/comments.lua's
-- distinct comments (own client address, e-mail and text each), each
-- connection waiting DELAY ms between its requests, so CONNECTIONS
-- connections send about CONNECTIONS * 1000 / DELAY a second. Arguments:
-- the site's origin, then DELAY. Prints one JSON line.
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
  wait_ms = tonumber(args[2]) or 20
end

delay = function()
  return wait_ms
end

request = function()
  counter = counter + 1
  local n = id * 10000000 + counter
  local ip = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  local body = "name=Spike+Reader&email=spike" .. n .. "%40example.com&title=Spike+" .. n ..
    "&body=Comment+number+" .. n .. "+on+the+breaking+story.&agree=1"
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
