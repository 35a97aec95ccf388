package app.noom.cluster.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The test-side slot computation agrees with Redis's own (known values; SlotMigrationTest also checks it against CLUSTER KEYSLOT). */
class SlotOfTest {

    @Test
    void knownSlots() {
        assertEquals(0x31C3, SlotOf.crc16("123456789".getBytes())); // the CRC16-XMODEM check value
        assertEquals(12182, SlotOf.key("foo")); // CLUSTER KEYSLOT examples in the Redis documentation
        assertEquals(11058, SlotOf.key("somekey"));
        assertEquals(SlotOf.key("{user1000}.following"), SlotOf.key("{user1000}.followers"));
        assertEquals(SlotOf.crc16("foo{}{bar}".getBytes()) & 16383, SlotOf.key("foo{}{bar}")); // empty tag: whole key
        assertEquals(SlotOf.key("user1000"), SlotOf.key("{user1000}.following"));
    }
}
