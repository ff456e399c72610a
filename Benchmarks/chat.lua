-- Web chat messages with unique client ids (so every one is stored), spread over the
-- visitor tokens passed as arguments; with no tokens every message is a first contact.
local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("id", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  tokens = args
  counter = 0
  prefix = tostring(id) .. "-" .. tostring(os.time()) .. "-" .. tostring(math.random(1, 1000000000))
end

function request()
  counter = counter + 1
  local visitor = ""
  if #tokens > 0 then
    visitor = ',"visitor":"' .. tokens[(counter % #tokens) + 1] .. '"'
  end
  local body = '{"id":"' .. prefix .. "-" .. counter .. '","text":"benchmark message ' .. counter .. ' 你好"' .. visitor .. '}'
  return wrk.format("POST", "/chat/web/messages", { ["Content-Type"] = "application/json" }, body)
end
