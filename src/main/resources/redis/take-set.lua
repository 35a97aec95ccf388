-- Read a set and delete it in one step, so no entry is read twice or lost between the two.
-- KEYS: 1 the set
local r = redis.call('SMEMBERS', KEYS[1])
redis.call('DEL', KEYS[1])
return r
