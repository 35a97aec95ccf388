-- The public room list with each room's lock, read in one step so a snapshot is consistent.
-- Policy keys are named as RedisKeys.roomPolicy names them.
-- KEYS: 1 room counts hash
-- Returns a flat list: room, count, locked (1/0), room, count, locked, ...
local counts = redis.call('HGETALL', KEYS[1])
local list = {}
for i = 1, #counts, 2 do
  local locked = redis.call('HGET', 'noom:{room:' .. counts[i] .. '}:policy', 'locked') == '1' and 1 or 0
  list[#list + 1] = counts[i]
  list[#list + 1] = tonumber(counts[i + 1])
  list[#list + 1] = locked
end
return list
