-- Admit a member unless the room is full; atomically update the room list and announce the new head-count.
-- KEYS: 1 room members hash, 2 room counts hash, 3 node members set
-- ARGV: 1 memberId, 2 member JSON, 3 max members, 4 room, 5 node entry, 6 count channel
local present = redis.call('HEXISTS', KEYS[1], ARGV[1])
local n = redis.call('HLEN', KEYS[1])
if present == 0 and n >= tonumber(ARGV[3]) then return {0, n} end
local others = redis.call('HGETALL', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[5])
n = redis.call('HLEN', KEYS[1])
if present == 0 then
  redis.call('HSET', KEYS[2], ARGV[4], n)
  redis.call('PUBLISH', ARGV[6], n .. '|' .. ARGV[4])
end
return {1, n, others}
