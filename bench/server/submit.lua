-- wrk script: durable survey submissions, each with its own client token,
-- to POST /api/public/surveys/SURVEY/responses. Set by bench/server_load.sh:
-- SURVEY, TOUCHPOINT (environment).
local survey = os.getenv("SURVEY") or "repair"
local touchpoint = os.getenv("TOUCHPOINT") or "felanmalan"
local comments = {
  "Reparationen tog tre veckor och ingen ringde tillbaka.",
  "Snabb och trevlig hantverkare, allt fungerade direkt.",
  "The repair was quick but nobody told me when they would come.",
  "Bra service men svårt att nå kundtjänst på telefon.",
  "",
}
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + (tid or 0))
  prefix = string.format("w%d-%d-", tid or 0, math.random(1, 1e9))
end

request = function()
  counter = counter + 1
  local nps = counter % 11
  local c = comments[(counter % #comments) + 1]
  local answers
  if c ~= "" then
    answers = string.format('{"nps":%d,"comment":"%s"}', nps, c)
  else
    answers = string.format('{"nps":%d}', nps)
  end
  local body = string.format(
    '{"touchpoint":"%s","client_token":"%s%d","answers":%s}',
    touchpoint, prefix, counter, answers)
  return wrk.format("POST", "/api/public/surveys/" .. survey .. "/responses",
    {["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
