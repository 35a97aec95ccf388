-- The public room list with each room's lock, read in one step so a snapshot is consistent; drops tombstones of
-- rooms emptied more than a minute ago (see room-list.lua).
-- KEYS: 1 room list hash; ARGV: 1 now (ms)
-- Returns a flat list: room, count, locked (1/0), room, count, locked, ...
local entries = redis.call('HGETALL', KEYS[1])
local list = {}
for i = 1, #entries, 2 do
  local version, count, locked, at = string.match(entries[i + 1], '^(%d+)|(%d+)|(%d)|(%d+)$')
  if not version then
    redis.call('HDEL', KEYS[1], entries[i])
  elseif tonumber(count) > 0 then
    list[#list + 1] = entries[i]
    list[#list + 1] = tonumber(count)
    list[#list + 1] = tonumber(locked)
  elseif tonumber(at) < tonumber(ARGV[1]) - 60000 then
    redis.call('HDEL', KEYS[1], entries[i])
  end
end
return list
