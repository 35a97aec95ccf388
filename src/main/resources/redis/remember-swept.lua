-- Remember that a sweep removed a member from a room, for its session's rebuild on another node.
-- KEYS: 1 the member's swept set; ARGV: 1 room, 2 how long to remember (ms)
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
