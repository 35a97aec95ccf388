-- Publish a member's message only while it is a member of its room, in one step: a message ordered after its
-- sender's removal (a kick, a sweep, a leave) in Redis is refused to the sender instead of being acked and then dropped
-- by every receiver. A directed message that no node receives while its recipient is still in the room (its node
-- died, or it is between nodes) is kept in the recipient's orphans for the node that resumes it; one to a member that
-- left the room is not (a later return to the room must not replay it).
-- KEYS: 1 room members hash, 2 the recipient's orphans list in the room (directed messages only)
-- ARGV: 1 sender member id, 2 channel (the room's, or the recipient's directed channel in the room), 3 payload,
--       4 recipient member id ('' for a room message), 5 the envelope to keep for the recipient
-- Returns the number of receivers, or -1 when the sender is not in the room.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
local receivers = redis.call('SPUBLISH', ARGV[2], ARGV[3])
if receivers == 0 and ARGV[4] ~= '' and redis.call('HEXISTS', KEYS[1], ARGV[4]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[5])
  redis.call('LTRIM', KEYS[2], -1000, -1)
  redis.call('PEXPIRE', KEYS[2], 60000)
end
return receivers
