package app.noom.relay.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The node's slot computation agrees with Redis's own (known values; SlotMigrationTest also checks CLUSTER KEYSLOT). */
class HashSlotTest {

    @Test
    void knownSlots() {
        assertEquals(0x31C3 & 16383, HashSlot.of("123456789")); // the CRC16-XMODEM check value, modulo the slots
        assertEquals(12182, HashSlot.of("foo")); // CLUSTER KEYSLOT examples in the Redis documentation
        assertEquals(11058, HashSlot.of("somekey"));
        assertEquals(HashSlot.of("{user1000}.following"), HashSlot.of("{user1000}.followers"));
        assertEquals(8363, HashSlot.of("foo{}{bar}")); // an empty tag: the whole key (CLUSTER KEYSLOT, Redis 7.0)
        assertEquals(4015, HashSlot.of("foo{{bar}}zap")); // the tag is "{bar", as Redis reads it
        assertEquals(HashSlot.of("user1000"), HashSlot.of("{user1000}.following"));
        assertEquals(HashSlot.of("noom:{room:standup}:members"), HashSlot.of("room:standup"));
    }
}
