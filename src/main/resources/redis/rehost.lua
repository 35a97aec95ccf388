-- Move a member's host to this node without changing the room (a session resumed on another node). The node sets
-- (another slot) are updated by the caller: its own entry before, the previous host's after.
-- KEYS: 1 room members hash
-- ARGV: 1 memberId, 2 member JSON (with the new node)
-- Returns 0 if the member is not in the room any more, else {1, previous host ('' if none)}.
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return 0 end
local previous = cjson.decode(old).node
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return {1, previous or ''}
