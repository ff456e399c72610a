-- Unique Telegram updates as fast as wrk can send them: thread t sends update ids t*10^9 + n,
-- from 500 chats, with the sample manifest's secret token.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("base", threads * 1000000000)
end

function init(args)
  counter = 0
  secret = args[1]
end

function request()
  counter = counter + 1
  local id = base + counter
  local chat = id % 500
  local body = '{"update_id":' .. id .. ',"message":{"message_id":' .. id .. ',"chat":{"id":' .. chat ..
    '},"from":{"id":' .. chat .. ',"first_name":"Flood"},"date":1764633600,"text":"flood ' .. id .. '"}}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["X-Telegram-Bot-Api-Secret-Token"] = secret }, body)
end
