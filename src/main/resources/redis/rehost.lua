-- Move a member's host to this node without changing the room (a session resumed on another node).
-- KEYS: 1 room members hash, 2 this node's members set
-- ARGV: 1 memberId, 2 member JSON (with the new node), 3 node entry
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return 0 end
local previous = cjson.decode(old).node
-- the old host's set, named as RedisKeys.nodeMembers names it
if previous then redis.call('SREM', 'noom:{node:' .. previous .. '}:members', ARGV[3]) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
return 1
