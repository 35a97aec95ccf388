-- Drop a resume record only while it still names this node (the session may already live on another one).
-- KEYS: 1 the resume record; ARGV: 1 this node
if redis.call('HGET', KEYS[1], 'node') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
