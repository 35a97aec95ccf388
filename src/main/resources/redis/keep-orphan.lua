-- Keep a directed envelope for a member that no node hosts right now (bounded, briefly): the node that resumes its
-- session delivers it.
-- KEYS: 1 the member's orphans list; ARGV: 1 the envelope
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -1000, -1)
redis.call('PEXPIRE', KEYS[1], 60000)
return 1
