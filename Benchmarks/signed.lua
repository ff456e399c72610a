-- Replays pre-signed webhook deliveries (Benchmarks/signed_requests.py), each line once:
-- thread k of n takes lines k, k+n, k+2n, … so no two requests repeat a provider id.
-- A line is: path TAB headers ("Name: value|Name: value", or -) TAB body.
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
end

function init(args)
  lines = {}
  local file = assert(io.open(args[1]))
  local every = tonumber(args[2])
  local n = 0
  for line in file:lines() do
    if n % every == index - 1 then
      local path, headerText, body = line:match("([^\t]*)\t([^\t]*)\t(.*)")
      local headers = { ["Content-Type"] = args[3] }
      if headerText ~= "-" then
        for name, value in headerText:gmatch("([^:|]+): ([^|]*)") do headers[name] = value end
      end
      table.insert(lines, { path, headers, body })
    end
    n = n + 1
  end
  file:close()
  position = 0
end

function request()
  position = position + 1
  local entry = lines[(position - 1) % #lines + 1]
  return wrk.format("POST", entry[1], entry[2], entry[3])
end
