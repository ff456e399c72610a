-- Web chat questions the bot answers (orders, knowledge base, small talk, hand-offs), each from a
-- new visitor, at a steady pace: each connection waits `delay` ms (the first argument) between requests.
local threads = {}
local next_thread = 0
local questions = {
  "where is my order?", "我的快递到哪了", "你们支持货到付款吗", "Do you accept PayPal?", "在吗", "thanks!",
  "can I cancel my order", "优惠券怎么用不了", "How long do refunds take?", "发票怎么开", "转人工", "what's your return policy?",
}

function setup(thread)
  thread:set("id", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  pause = tonumber(args[1])
  counter = 0
  prefix = tostring(id) .. "-" .. tostring(os.time()) .. "-" .. tostring(math.random(1, 1000000000))
end

function delay()
  return pause
end

function request()
  counter = counter + 1
  local text = questions[(counter % #questions) + 1]
  local body = '{"id":"' .. prefix .. "-" .. counter .. '","text":"' .. text .. '"}'
  return wrk.format("POST", "/chat/web/messages", { ["Content-Type"] = "application/json" }, body)
end
