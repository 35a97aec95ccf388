-- Replace what others see of a member, only if it is still in the room.
-- KEYS: 1 room members hash; ARGV: 1 memberId, 2 member JSON
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1
