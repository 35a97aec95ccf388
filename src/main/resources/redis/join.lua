-- Admit a member unless banned, the room is locked (for tickets that may not pass locks) or full; the first member's
-- policy becomes the room's. Announces the new head-count and lock as 'count|locked(1/0)|room' (public rooms only)
-- and returns the room-list entry to write (see room-list.lua). Every key is the room's (one slot).
-- KEYS: 1 room members hash, 2 room policy hash, 3 room bans zset, 4 room identities hash (memberId -> token
--       subject), 5 the room's list version counter
-- ARGV: 1 memberId, 2 member JSON, 3 max members, 4 room, 5 count channel, 6 now (ms),
--       7 passes lock (1/0), 8 host if creating, 9 private if creating (1/0), 10 password hash if creating ('' = none),
--       11 identity ('' = none): a ban on it holds against every session of that person,
--       12 locked if creating (1/0: a node republishing its members after Redis came back empty keeps a room locked)
-- Returns {0, count} full, {2} locked, {3, until} banned, or {1, count, others, policy, listing ('' = unchanged)}.
local present = redis.call('HEXISTS', KEYS[1], ARGV[1])
local n = redis.call('HLEN', KEYS[1])
if present == 0 then
  local banned = redis.call('ZSCORE', KEYS[3], ARGV[1])
  if ARGV[11] ~= '' then
    local byIdentity = redis.call('ZSCORE', KEYS[3], 'sub:' .. ARGV[11])
    if byIdentity and (not banned or tonumber(byIdentity) > tonumber(banned)) then banned = byIdentity end
  end
  if banned and tonumber(banned) > tonumber(ARGV[6]) then return {3, banned} end
  if n == 0 then
    redis.call('DEL', KEYS[2])
    redis.call('HSET', KEYS[2], 'host', ARGV[8], 'locked', ARGV[12], 'private', ARGV[9], 'password', ARGV[10])
  else
    if redis.call('HGET', KEYS[2], 'locked') == '1' and ARGV[7] ~= '1' then return {2} end
    if n >= tonumber(ARGV[3]) then return {0, n} end
  end
end
local others = redis.call('HGETALL', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[11] ~= '' then redis.call('HSET', KEYS[4], ARGV[1], ARGV[11]) end
n = redis.call('HLEN', KEYS[1])
local listing = ''
if present == 0 and redis.call('HGET', KEYS[2], 'private') ~= '1' then
  local locked = redis.call('HGET', KEYS[2], 'locked') == '1' and '1' or '0'
  listing = redis.call('INCR', KEYS[5]) .. '|' .. n .. '|' .. locked
  redis.call('PEXPIRE', KEYS[5], 86400000)
  redis.call('PUBLISH', ARGV[5], n .. '|' .. locked .. '|' .. ARGV[4])
end
return {1, n, others, redis.call('HGETALL', KEYS[2]), listing}
