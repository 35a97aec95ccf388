-- The host removes a member: checks, ban and removal in one step, whichever node hosts the target (even a dead one),
-- so a kick cannot be lost to a node's death or to the target's session moving between nodes.
-- KEYS: 1 room members hash, 2 the room's list version counter, 3 room policy hash, 4 room bans zset, 5 room identities hash,
--       6 the target's orphans list in this room
-- ARGV: 1 requester, 2 target, 3 banned until (epoch ms), 4 room, 5 count channel, 6 the kicked notice (envelope),
--       7 the target's directed channel in this room, 8 the room's channel, 9 the kick as a cluster payload: published here, so the
--       room hears of the kick in the same step that removes the target (nothing can be ordered between the two)
-- Returns {1, room-list entry ('' = unchanged), see room-list.lua} kicked, 0 requester is not host, -1 target is not
-- a member.
if redis.call('HGET', KEYS[3], 'host') ~= ARGV[1] then return 0 end
local current = redis.call('HGET', KEYS[1], ARGV[2])
if not current then return -1 end
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[2])
local identity = redis.call('HGET', KEYS[5], ARGV[2])
if identity then redis.call('ZADD', KEYS[4], ARGV[3], 'sub:' .. identity) end
local longest = redis.call('ZRANGE', KEYS[4], -1, -1, 'WITHSCORES')[2]
redis.call('PEXPIREAT', KEYS[4], longest)
-- The host's node set keeps its entry (it is another slot): the host's own leave of the room removes it, a sweeper's
-- finds the member gone; meanwhile a rebuild of the session elsewhere still lists the room and reads its orphans.
local host = cjson.decode(current).node
if host then
  -- a target that no node serves right now (its node died, or it is moving) learns of the kick when it resumes:
  -- the resuming node reads its orphans
  if redis.call('PUBSUB', 'SHARDNUMSUB', ARGV[7])[2] == 0 then
    redis.call('RPUSH', KEYS[6], ARGV[6])
    redis.call('LTRIM', KEYS[6], -1000, -1)
    redis.call('PEXPIRE', KEYS[6], 60000)
  end
end
redis.call('HDEL', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[5], ARGV[2])
local n = redis.call('HLEN', KEYS[1])
local listing = ''
if redis.call('HGET', KEYS[3], 'private') ~= '1' then
  local locked = redis.call('HGET', KEYS[3], 'locked') == '1' and '1' or '0'
  listing = redis.call('INCR', KEYS[2]) .. '|' .. n .. '|' .. locked
  redis.call('PEXPIRE', KEYS[2], 86400000)
  redis.call('PUBLISH', ARGV[5], n .. '|' .. locked .. '|' .. ARGV[4])
end
redis.call('SPUBLISH', ARGV[8], ARGV[9])
return {1, listing}
