/**
 * The Lua scripts behind {@link RedisLimiter}. Redis runs a script atomically, so N gateway replicas that
 * admit through `ADMIT` together never reserve more than a limit. Each meter uses four keys, all with the
 * customer's hash tag so one request's keys share a cluster slot: a sorted set of request ids (score = time
 * of admission for windows, expiry for month reservations), a hash id -> amount, the sum of those amounts,
 * and (month meters) the settled total.
 *
 * ADMIT  KEYS: 4 per meter. ARGV: now, requestId, n, then per meter: kind ('w'|'m'), limit, amount, periodMs,
 *        retryHintMs. Returns {admitted (1|0), rejected meter index (1-based, 0 if none), retryAfterMs,
 *        remaining_1 .. remaining_n}.
 * SETTLE KEYS: 4 per meter. ARGV: requestId, n, then per meter: kind, actual amount.
 */

const purge = `
local function purge(z, h, s, cutoff)
  local ids = redis.call('ZRANGEBYSCORE', z, '-inf', cutoff)
  local freed = 0
  for i = 1, #ids do
    freed = freed + tonumber(redis.call('HGET', h, ids[i]) or '0')
    redis.call('HDEL', h, ids[i])
    redis.call('ZREM', z, ids[i])
  end
  if freed ~= 0 then redis.call('DECRBY', s, freed) end
end
`;

/** Admission: check every meter, then reserve on all or none. */
export const ADMIT_SCRIPT = `${purge}
local now = tonumber(ARGV[1])
local id = ARGV[2]
local n = tonumber(ARGV[3])
local free = {}
for i = 1, n do
  local a = 3 + (i - 1) * 5
  local kind, limit, amount, period, hint = ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5])
  local k = (i - 1) * 4
  local z, h, s, settled = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
  local used
  if kind == 'w' then
    purge(z, h, s, now - period)
    used = tonumber(redis.call('GET', s) or '0')
  else
    used = tonumber(redis.call('GET', settled) or '0') + tonumber(redis.call('GET', s) or '0')
    if used + amount > limit then
      purge(z, h, s, now)
      used = tonumber(redis.call('GET', settled) or '0') + tonumber(redis.call('GET', s) or '0')
    end
  end
  free[i] = limit - used
  if amount > limit - used then
    local retry = hint
    if kind == 'w' then
      local oldest = redis.call('ZRANGE', z, 0, 0, 'WITHSCORES')
      if oldest[2] then retry = math.max(1, tonumber(oldest[2]) + period - now) else retry = period end
    end
    local out = {0, i, retry}
    for j = 1, i do out[3 + j] = math.max(0, free[j]) end
    return out
  end
end
local out = {1, 0, 0}
for i = 1, n do
  local a = 3 + (i - 1) * 5
  local kind, amount, period = ARGV[a + 1], tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local k = (i - 1) * 4
  local z, h, s, settled = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
  local score = now
  if kind == 'm' then score = now + period end
  redis.call('ZADD', z, score, id)
  redis.call('HSET', h, id, amount)
  redis.call('INCRBY', s, amount)
  local ttl = period * 2
  if kind == 'm' then ttl = 40 * 86400000 end
  redis.call('PEXPIRE', z, ttl)
  redis.call('PEXPIRE', h, ttl)
  redis.call('PEXPIRE', s, ttl)
  out[3 + i] = math.max(0, free[i] - amount)
end
return out
`;

/** Settlement: windows rewrite the entry's amount; months drop the reservation and add to the total. */
export const SETTLE_SCRIPT = `
local id = ARGV[1]
local n = tonumber(ARGV[2])
for i = 1, n do
  local kind, actual = ARGV[2 + (i - 1) * 2 + 1], tonumber(ARGV[2 + (i - 1) * 2 + 2])
  local k = (i - 1) * 4
  local z, h, s, settled = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
  local old = redis.call('HGET', h, id)
  if kind == 'w' then
    if old then
      redis.call('INCRBY', s, actual - tonumber(old))
      redis.call('HSET', h, id, actual)
    end
  else
    if old then
      redis.call('DECRBY', s, tonumber(old))
      redis.call('HDEL', h, id)
      redis.call('ZREM', z, id)
    end
    redis.call('INCRBY', settled, actual)
    redis.call('PEXPIRE', settled, 40 * 86400000)
  end
end
return 1
`;
