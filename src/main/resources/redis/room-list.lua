-- Write one room's entry in the room list ('version|count|locked|written at ms'), unless a newer one is there: the
-- room's scripts (another slot) number their changes, and two nodes' writes may reach this key in either order.
-- An emptied room stays as a tombstone (count 0) for a minute, so a late older write cannot bring it back; rooms.lua
-- skips and prunes them.
-- KEYS: 1 room list hash; ARGV: 1 room, 2 version, 3 count, 4 locked (1/0), 5 now (ms)
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  local version = tonumber(string.match(old, '^(%d+)|'))
  if version and version >= tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3] .. '|' .. ARGV[4] .. '|' .. ARGV[5])
return 1
