-- Unique Telegram updates: each connection waits `delay` ms (the second argument; 0 floods)
-- between requests,
-- so the offered load is about connections * 1000 / (delay + latency) per second.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("base", threads * 1000000000)
end

function init(args)
  counter = 0
  secret = args[1]
  pause = tonumber(args[2])
end

function delay()
  return pause
end

function request()
  counter = counter + 1
  local id = base + counter
  local chat = id % 1000
  local body = '{"update_id":' .. id .. ',"message":{"message_id":' .. id .. ',"chat":{"id":' .. chat ..
    '},"from":{"id":' .. chat .. ',"first_name":"Steady"},"date":1764633600,"text":"steady ' .. id .. '"}}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["X-Telegram-Bot-Api-Secret-Token"] = secret }, body)
end
