/**
 * Lua scripts of the Redis rate limiter. Redis runs a script atomically, so one `consume` is exact
 * across every gateway process that shares the server. The arithmetic is that of
 * `shared/sliding-window.ts`, in the same order, so the script's verdict and the decision computed
 * in JavaScript from the state it returns agree.
 *
 * Numbers go in and out as strings formatted with %.17g: Redis truncates Lua numbers to integers in
 * replies and stores them with 14 digits, and both would lose fractions of milliseconds or tokens.
 * The clock is the Redis server's (TIME) unless the caller passes one, so replicas with skewed
 * clocks still agree on window boundaries.
 */

const PRELUDE = `
local function num(x) return string.format('%.17g', x) end
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end`;

/**
 * KEYS[1]: the counter hash (w = window length, s = window start, c = current, p = previous).
 * ARGV: now in ms or '' for the server clock, limit, windowMs, amount, force ('1' or '0').
 * Returns { allowed (1/0), now, window start, current, previous } with the window as it was before.
 */
export const CONSUME_SCRIPT = `${PRELUDE}
local limit, window, amount = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local this_window = math.floor(now / window) * window
local stored = redis.call('HMGET', KEYS[1], 'w', 's', 'c', 'p')
local start, cur, prev = this_window, 0, 0
-- A counter kept for another window length says nothing about this one.
if stored[1] and tonumber(stored[1]) == window then
  local s = tonumber(stored[2])
  if s == this_window - window then
    prev = tonumber(stored[3])
  elseif s > this_window - window then
    -- The current window, or one from the future (a clock stepped back): kept, to stay conservative.
    start, cur, prev = s, tonumber(stored[3]), tonumber(stored[4])
  end
end
local elapsed = math.min(math.max(now - start, 0), window)
local allowed = prev * (1 - elapsed / window) + cur + amount <= limit + 1e-9
if allowed or ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'w', num(window), 's', num(start), 'c', num(cur + amount), 'p', num(prev))
  -- The state matters until the end of the next window; then it would be reset anyway.
  redis.call('PEXPIRE', KEYS[1], math.ceil(start + 2 * window - now) + 1000)
end
return { allowed and 1 or 0, num(now), num(start), num(cur), num(prev) }`;

/**
 * KEYS[1]: the counter hash. ARGV: windowMs, amount, windowStart (of the decision that took the
 * units). The same cases as shared `refundState`; the expiry is left as it is.
 */
export const REFUND_SCRIPT = `
local function num(x) return string.format('%.17g', x) end
local window, amount, taken = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 'w', 's', 'c', 'p')
if not stored[1] or tonumber(stored[1]) ~= window then return 0 end
local s = tonumber(stored[2])
if s == taken then
  redis.call('HSET', KEYS[1], 'c', num(math.max(0, tonumber(stored[3]) - amount)))
elseif s == taken + window then
  redis.call('HSET', KEYS[1], 'p', num(math.max(0, tonumber(stored[4]) - amount)))
end
return 0`;

/** KEYS[1]: the counter hash. ARGV: now or ''. Returns { now, w, s, c, p } (missing fields are nil). */
export const PEEK_SCRIPT = `${PRELUDE}
local stored = redis.call('HMGET', KEYS[1], 'w', 's', 'c', 'p')
return { num(now), stored[1], stored[2], stored[3], stored[4] }`;
