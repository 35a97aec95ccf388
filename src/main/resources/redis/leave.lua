-- Remove a member; the room (and its policy) disappears with its last member. Announces the new head-count and lock
-- of a public room ('count|locked(1/0)|room') and returns the room-list entry to write (see room-list.lua).
-- A member whose session has meanwhile moved to another node (resume) is not removed by its old host or a sweeper.
-- KEYS: 1 room members hash, 2 room policy hash, 3 room identities hash, 4 the room's list version counter
-- ARGV: 1 memberId, 2 room, 3 count channel, 4 the node removing it as the member's host
-- Returns {-2} if absent (already removed), {-1} if another node hosts it, else {count, listing ('' = unchanged)}.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return {-2} end
local host = cjson.decode(current).node
if host and host ~= ARGV[4] then return {-1} end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
local n = redis.call('HLEN', KEYS[1])
local private = redis.call('HGET', KEYS[2], 'private') == '1'
local locked = redis.call('HGET', KEYS[2], 'locked') == '1' and '1' or '0'
if n == 0 then redis.call('DEL', KEYS[2], KEYS[3]) end
local listing = ''
if not private then
  listing = redis.call('INCR', KEYS[4]) .. '|' .. n .. '|' .. locked
  redis.call('PEXPIRE', KEYS[4], 86400000)
  redis.call('PUBLISH', ARGV[3], n .. '|' .. locked .. '|' .. ARGV[2])
end
return {n, listing}
