-- wrk script for bench/bench.sh. Each request goes out as one of the sampled
-- residents (rotating over BENCH_TOKENS, lines "<token> <neighbourhood> <bytes>")
-- to their own neighbourhood:
--   BENCH_MODE=feed   GET the first feed page (20 posts)
--   BENCH_MODE=post   POST a new ask or offer (201 once durable)
--   BENCH_MODE=mixed  95 % feed pages, 5 % new posts
-- done() prints one machine-readable line: "RESULT requests seconds p50_us p99_us
-- non2xx socket_errors".

local residents = {}
local mode = os.getenv("BENCH_MODE") or "feed"
local next_index = 1
local counter = 0   -- posts made by this thread
local made = 0      -- requests made by this thread

local thread_number = 0
function setup(thread)
  thread:set("thread_number", thread_number)
  thread_number = thread_number + 1
end

function init(args)
  local file = assert(io.open(os.getenv("BENCH_TOKENS"), "r"))
  for line in file:lines() do
    local token, hood = line:match("^(%S+)%s+(%d+)")
    if token then
      residents[#residents + 1] = {
        auth = { ["Authorization"] = "Bearer " .. token },
        post_headers = { ["Authorization"] = "Bearer " .. token,
                         ["Content-Type"] = "application/json" },
        feed = "/api/v1/neighbourhoods/" .. hood .. "/feed",
        posts = "/api/v1/neighbourhoods/" .. hood .. "/posts",
      }
    end
  end
  file:close()
  -- Threads start at different residents.
  next_index = ((thread_number or 0) * 7919) % #residents + 1
end

local kinds = { "ask", "offer" }
local categories = { "goods", "knowledge", "money", "contacts", "care" }

local function new_post(r)
  counter = counter + 1
  local body = string.format(
    '{"kind":"%s","category":"%s","title":"Wie helpt mij met klus %d?",' ..
    '"body":"Een **kleine** klus in de tuin, zaterdag of zondag.","visibility":"neighbourhood"}',
    kinds[counter % 2 + 1], categories[counter % 5 + 1], counter)
  return wrk.format("POST", r.posts, r.post_headers, body)
end

function request()
  local r = residents[next_index]
  next_index = next_index % #residents + 1
  if mode == "post" then return new_post(r) end
  if mode == "mixed" then
    made = made + 1
    if made % 20 == 0 then return new_post(r) end
  end
  return wrk.format("GET", r.feed, r.auth)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %d %d %d %d\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
