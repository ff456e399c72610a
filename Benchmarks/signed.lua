-- Replays pre-signed webhook deliveries (Benchmarks/signed_requests.py), each line once:
-- thread k of n takes lines k, k+n, k+2n, … so no two requests repeat a provider id.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

function init(args)
  lines = {}
  local file = assert(io.open(args[1]))
  local every = tonumber(args[2])
  local n = 0
  for line in file:lines() do
    if n % every == index - 1 then
      local path, signature, body = line:match("([^\t]*)\t([^\t]*)\t(.*)")
      table.insert(lines, { path, signature, body })
    end
    n = n + 1
  end
  file:close()
  contentType = args[3]
  signatureHeader = args[4]
  position = 0
end

function request()
  position = position + 1
  local entry = lines[(position - 1) % #lines + 1]
  local headers = { ["Content-Type"] = contentType }
  if entry[2] ~= "-" then headers[signatureHeader] = entry[2] end
  return wrk.format("POST", entry[1], headers, entry[3])
end
