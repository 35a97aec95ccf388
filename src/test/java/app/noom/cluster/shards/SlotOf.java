package app.noom.cluster.shards;

import app.noom.relay.redis.HashSlot;

/**
 * Redis Cluster's key slot, as the node computes it ({@link HashSlot}): lets a test pick a name whose slot it wants
 * without asking Redis once per candidate (SlotMigrationTest checks it against CLUSTER KEYSLOT).
 */
public final class SlotOf {
    private SlotOf() {}

    public static int key(String key) {
        return HashSlot.of(key);
    }
}
