/**
 * The Lua scripts behind {@link RedisLimiter}. Redis runs a script atomically, so N gateway replicas that
 * admit through `ADMIT` together never reserve more than a limit. Each meter uses six keys, all with the
 * customer's hash tag so one request's keys share a cluster slot: a sorted set of request ids (score = time
 * of admission for windows, expiry for month reservations), a hash id -> amount, the sum of those amounts,
 * and, for month meters, the settled total (`:t`), the set of request ids the last rebuild already counted
 * from the ledger (`:k`) and a hash of settlements that arrived while the total was missing (`:p`).
 *
 * ADMIT   KEYS: 6 per meter. ARGV: now, requestId, n, then per meter: kind ('w'|'m'), limit, amount, periodMs,
 *         retryHintMs. Returns {admitted (1|0), rejected meter index (1-based, 0 if none), retryAfterMs,
 *         remaining_1 .. remaining_n}, or {-1, 0, 0, index ...} (nothing reserved) when month meters have no
 *         settled total: the caller rebuilds them from the ledger and admits again.
 * SETTLE  KEYS: 6 per meter. ARGV: requestId, n, then per meter: kind, actual amount.
 * REBUILD KEYS: total, counted, pending, lock. ARGV: lock token, ledger sum, total ttl, counted ttl, counted ids...
 * UNLOCK  KEYS: lock. ARGV: lock token.
 * INVALIDATE KEYS: z, h, s, total of one month meter. ARGV: request ids whose settlement failed.
 */

/** Lifetime of month keys: longer than any month, refreshed on each settlement. */
export const MONTH_KEY_TTL_MS = 40 * 86_400_000;

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
local missing = {-1, 0, 0}
for i = 1, n do
  if ARGV[3 + (i - 1) * 5 + 1] == 'm' and redis.call('EXISTS', KEYS[(i - 1) * 6 + 4]) == 0 then missing[#missing + 1] = i end
end
if #missing > 3 then return missing end
local free = {}
for i = 1, n do
  local a = 3 + (i - 1) * 5
  local kind, limit, amount, period, hint = ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5])
  local k = (i - 1) * 6
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
  local k = (i - 1) * 6
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
  local k = (i - 1) * 6
  local z, h, s, settled, counted, pending = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6]
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
    if redis.call('EXISTS', settled) == 1 then
      -- a row the last rebuild read from the ledger is in the total already
      if redis.call('SREM', counted, id) == 0 then
        redis.call('INCRBY', settled, actual)
        redis.call('PEXPIRE', settled, 40 * 86400000)
      end
    elseif actual ~= 0 then
      -- never create a partial total: the rebuild folds this in unless its ledger read counted the row
      redis.call('HSET', pending, id, actual)
      redis.call('PEXPIRE', pending, 40 * 86400000)
    end
  end
end
return 1
`;

/**
 * Finishes a rebuild: total = ledger sum + settlements that arrived while the total was missing and that the
 * ledger read did not count. Ids the read counted whose settlement has not arrived yet are kept in `:k` so
 * that settlement adds nothing. A total that another replica set meanwhile wins (NX semantics).
 */
export const REBUILD_SCRIPT = `
local total_key, counted_key, pending_key, lock = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if redis.call('GET', lock) == ARGV[1] then redis.call('DEL', lock) end
if redis.call('EXISTS', total_key) == 1 then return 0 end
local counted = {}
for i = 5, #ARGV do counted[ARGV[i]] = true end
local total = tonumber(ARGV[2])
local pending = redis.call('HGETALL', pending_key)
for j = 1, #pending, 2 do
  if counted[pending[j]] then counted[pending[j]] = nil else total = total + tonumber(pending[j + 1]) end
end
redis.call('DEL', pending_key, counted_key)
local batch = {}
for id in pairs(counted) do
  batch[#batch + 1] = id
  if #batch == 500 then
    redis.call('SADD', counted_key, unpack(batch))
    batch = {}
  end
end
if #batch > 0 then redis.call('SADD', counted_key, unpack(batch)) end
redis.call('PEXPIRE', counted_key, ARGV[4])
redis.call('SET', total_key, total, 'PX', ARGV[3])
return 1
`;

/** Releases a rebuild lock only if this caller still holds it. */
export const UNLOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

/**
 * After settlements failed (Redis down or too slow): drops their reservations and deletes the month total, so
 * the next admission rebuilds it from the ledger, where those rows are. A settlement that did run meanwhile
 * is harmless: the rebuilt total counts its row once.
 */
export const INVALIDATE_SCRIPT = `
local z, h, s, total_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
for i = 1, #ARGV do
  local old = redis.call('HGET', h, ARGV[i])
  if old then
    redis.call('DECRBY', s, tonumber(old))
    redis.call('HDEL', h, ARGV[i])
    redis.call('ZREM', z, ARGV[i])
  end
end
redis.call('DEL', total_key)
return 1
`;
