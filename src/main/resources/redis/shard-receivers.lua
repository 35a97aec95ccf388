-- How many connections subscribe a shard channel. A script so that the channel, given as its key, routes the call to
-- the master owning the channel's slot in a Redis Cluster (PUBSUB names no key and would go to any master).
-- KEYS: 1 the shard channel
return redis.call('PUBSUB', 'SHARDNUMSUB', KEYS[1])[2]
