-- Round-robin over the paths given after `--`, counting every status other than 200.
-- Used by the load test: wrk -c128 -d60s -s bench/load.lua http://127.0.0.1:PORT -- / /stops/a ...

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  for i, path in ipairs(args) do
    requests[i] = wrk.format(nil, path)
  end
  if #requests == 0 then
    requests[1] = wrk.format(nil, "/")
  end
  index = 0
  non200 = 0
end

function request()
  index = index % #requests + 1
  return requests[index]
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("non200")
  end
  io.write(string.format("NON200 %d\n", total))
end
