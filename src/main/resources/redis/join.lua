-- Admit a member unless banned, the room is locked (for tickets that may not pass locks) or full; the first member's
-- policy becomes the room's. Atomically updates the room list and announces the new head-count and lock as
-- 'count|locked(1/0)|room' (public rooms only).
-- KEYS: 1 room members hash, 2 room counts hash, 3 node members set, 4 room policy hash, 5 room bans zset,
--       6 room identities hash (memberId -> token subject)
-- ARGV: 1 memberId, 2 member JSON, 3 max members, 4 room, 5 node entry, 6 count channel, 7 now (ms),
--       8 passes lock (1/0), 9 host if creating, 10 private if creating (1/0), 11 password hash if creating ('' = none),
--       12 identity ('' = none): a ban on it holds against every session of that person,
--       13 locked if creating (1/0: a node republishing its members after Redis came back empty keeps a room locked)
local present = redis.call('HEXISTS', KEYS[1], ARGV[1])
local n = redis.call('HLEN', KEYS[1])
if present == 0 then
  local banned = redis.call('ZSCORE', KEYS[5], ARGV[1])
  if ARGV[12] ~= '' then
    local byIdentity = redis.call('ZSCORE', KEYS[5], 'sub:' .. ARGV[12])
    if byIdentity and (not banned or tonumber(byIdentity) > tonumber(banned)) then banned = byIdentity end
  end
  if banned and tonumber(banned) > tonumber(ARGV[7]) then return {3, banned} end
  if n == 0 then
    redis.call('DEL', KEYS[4])
    redis.call('HSET', KEYS[4], 'host', ARGV[9], 'locked', ARGV[13], 'private', ARGV[10], 'password', ARGV[11])
  else
    if redis.call('HGET', KEYS[4], 'locked') == '1' and ARGV[8] ~= '1' then return {2} end
    if n >= tonumber(ARGV[3]) then return {0, n} end
  end
end
local others = redis.call('HGETALL', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[12] ~= '' then redis.call('HSET', KEYS[6], ARGV[1], ARGV[12]) end
redis.call('SADD', KEYS[3], ARGV[5])
n = redis.call('HLEN', KEYS[1])
if present == 0 and redis.call('HGET', KEYS[4], 'private') ~= '1' then
  redis.call('HSET', KEYS[2], ARGV[4], n)
  local locked = redis.call('HGET', KEYS[4], 'locked') == '1' and '1' or '0'
  redis.call('PUBLISH', ARGV[6], n .. '|' .. locked .. '|' .. ARGV[4])
end
return {1, n, others, redis.call('HGETALL', KEYS[4])}
