-- wrk script for bench/soak.sh: a mixed load of residents reading and
-- writing, and a count of every answer by status class.
--
-- Environment (set by soak.sh): SOAK_TOKENS (session tokens, space-separated),
-- SOAK_NEIGHBOURHOOD (their neighbourhood id), SOAK_POST_IDS (posts to open).
--
-- The mix, per request: 80 % feed page, 7 % one post, 5 % my page,
-- 3 % the exchanges, 5 % a new post.

local tokens, post_ids = {}, {}
for t in string.gmatch(os.getenv("SOAK_TOKENS") or "", "%S+") do tokens[#tokens + 1] = t end
for p in string.gmatch(os.getenv("SOAK_POST_IDS") or "", "%S+") do post_ids[#post_ids + 1] = p end
local n = os.getenv("SOAK_NEIGHBOURHOOD") or "1"

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(id * 7919)
  s2, s3, s4, s5, created = 0, 0, 0, 0, 0
end

local function auth(token, extra)
  local h = { ["Authorization"] = "Bearer " .. token }
  if extra then for k, v in pairs(extra) do h[k] = v end end
  return h
end

function request()
  local token = tokens[math.random(#tokens)]
  local roll = math.random(100)
  if roll <= 80 then
    return wrk.format("GET", "/api/v1/neighbourhoods/" .. n .. "/feed", auth(token))
  elseif roll <= 87 then
    return wrk.format("GET", "/api/v1/posts/" .. post_ids[math.random(#post_ids)], auth(token))
  elseif roll <= 92 then
    return wrk.format("GET", "/api/v1/me", auth(token))
  elseif roll <= 95 then
    return wrk.format("GET", "/api/v1/neighbourhoods/" .. n .. "/exchanges", auth(token))
  end
  local kind = (roll % 2 == 0) and "ask" or "offer"
  local body = string.format(
    '{"kind":"%s","category":"goods","title":"Soak post %d-%d","body":"Wie kan helpen?","visibility":"neighbourhood"}',
    kind, id, math.random(1000000000))
  return wrk.format("POST", "/api/v1/neighbourhoods/" .. n .. "/posts",
                    auth(token, { ["Content-Type"] = "application/json" }), body)
end

function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1
  elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then s3 = s3 + 1
  else
    s2 = s2 + 1
    if status == 201 then created = created + 1 end
  end
end

function done(summary, latency, requests)
  local t2, t3, t4, t5, tc = 0, 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    t2 = t2 + thread:get("s2"); t3 = t3 + thread:get("s3")
    t4 = t4 + thread:get("s4"); t5 = t5 + thread:get("s5")
    tc = tc + thread:get("created")
  end
  io.write(string.format("soak-counts requests=%d 2xx=%d 3xx=%d 4xx=%d 5xx=%d created=%d " ..
                         "socket_errors=%d p50_ms=%.2f p99_ms=%.2f\n",
                         summary.requests, t2, t3, t4, t5, tc,
                         summary.errors.connect + summary.errors.read + summary.errors.write +
                           summary.errors.timeout,
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
