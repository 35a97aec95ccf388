-- Remove a member; the room (and its policy) disappears with its last member. Announces the new head-count and lock
-- of a public room ('count|locked(1/0)|room'). Returns -2 if absent (already removed), -1 if another node hosts it.
-- KEYS: 1 room members hash, 2 room counts hash, 3 node members set, 4 room policy hash, 5 room identities hash
-- ARGV: 1 memberId, 2 room, 3 node entry, 4 count channel, 5 the node removing it as the member's host
-- A member whose session has meanwhile moved to another node (resume) is not removed by its old host or a sweeper.
redis.call('SREM', KEYS[3], ARGV[3])
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return -2 end
local host = cjson.decode(current).node
if host and host ~= ARGV[5] then return -1 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
local n = redis.call('HLEN', KEYS[1])
local private = redis.call('HGET', KEYS[4], 'private') == '1'
local locked = redis.call('HGET', KEYS[4], 'locked') == '1' and '1' or '0'
if n == 0 then redis.call('DEL', KEYS[4], KEYS[5]) end
if not private then
  if n == 0 then redis.call('HDEL', KEYS[2], ARGV[2]) else redis.call('HSET', KEYS[2], ARGV[2], n) end
  redis.call('PUBLISH', ARGV[4], n .. '|' .. locked .. '|' .. ARGV[2])
end
return n
