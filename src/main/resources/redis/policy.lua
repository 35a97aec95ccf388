-- Host controls on a room's policy. Returns the policy (flat field list) after the change, or an empty list when the
-- room does not exist or the change does not apply.
-- KEYS: 1 room policy hash, 2 room members hash
-- ARGV: 1 operation ('lock' | 'host' | 'pass'), 2 value ('1'/'0' for lock; memberId for host; leaverId for pass)
if redis.call('HLEN', KEYS[2]) == 0 then return {} end
local op = ARGV[1]
if op == 'lock' then
  redis.call('HSET', KEYS[1], 'locked', ARGV[2])
elseif op == 'host' then
  if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 0 then return {} end
  redis.call('HSET', KEYS[1], 'host', ARGV[2])
elseif op == 'pass' then
  if redis.call('HGET', KEYS[1], 'host') ~= ARGV[2] then return {} end
  redis.call('HSET', KEYS[1], 'host', redis.call('HKEYS', KEYS[2])[1])
end
return redis.call('HGETALL', KEYS[1])
