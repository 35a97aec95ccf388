-- Host controls on a room's policy. Returns {policy (flat field list) after the change, room-list entry ('' =
-- unchanged, see room-list.lua)}, or an empty list when the room does not exist or the change does not apply.
-- A lock change of a public room is announced on the count channel ('count|locked(1/0)|room'): the room list shows it.
-- KEYS: 1 room policy hash, 2 room members hash, 3 the room's list version counter
-- ARGV: 1 operation ('lock' | 'host' | 'pass'), 2 value ('1'/'0' for lock; memberId for host; leaverId for pass),
--       3 room, 4 count channel
if redis.call('HLEN', KEYS[2]) == 0 then return {} end
local op = ARGV[1]
local listing = ''
if op == 'lock' then
  local was = redis.call('HGET', KEYS[1], 'locked')
  redis.call('HSET', KEYS[1], 'locked', ARGV[2])
  if was ~= ARGV[2] and redis.call('HGET', KEYS[1], 'private') ~= '1' then
    local n = redis.call('HLEN', KEYS[2])
    listing = redis.call('INCR', KEYS[3]) .. '|' .. n .. '|' .. ARGV[2]
    redis.call('PEXPIRE', KEYS[3], 86400000)
    redis.call('PUBLISH', ARGV[4], n .. '|' .. ARGV[2] .. '|' .. ARGV[3])
  end
elseif op == 'host' then
  if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 0 then return {} end
  redis.call('HSET', KEYS[1], 'host', ARGV[2])
elseif op == 'pass' then
  if redis.call('HGET', KEYS[1], 'host') ~= ARGV[2] then return {} end
  redis.call('HSET', KEYS[1], 'host', redis.call('HKEYS', KEYS[2])[1])
end
return {redis.call('HGETALL', KEYS[1]), listing}
