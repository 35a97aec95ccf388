-- Publish a member's message only while it is a member of its room, in one step: a message ordered after its
-- sender's removal (a kick, a sweep, a leave) in Redis is refused to the sender instead of being acked and then dropped
-- by every receiver. Returns the number of receivers, or -1 when the sender is not in the room.
-- KEYS: 1 room members hash
-- ARGV: 1 sender member id, 2 channel (the room's, or the recipient's directed channel in the room), 3 payload
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
return redis.call('SPUBLISH', ARGV[2], ARGV[3])
