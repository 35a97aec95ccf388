-- Read a list and delete it in one step, so no entry is read twice or lost between the two.
-- KEYS: 1 the list
local l = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return l
