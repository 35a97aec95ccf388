package app.noom.relay.redis;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's slot of a key or shard channel: CRC16 (XMODEM) of its hash tag — the text between the first {@code
 * {} and the next {@code }} when not empty, else the whole name — modulo 16384. Lets the node tell, before sending, that
 * a room's shard is known to be down ({@link ShardHealth}); tests use it to pick names on a wanted shard.
 */
public final class HashSlot {
    static final int SLOTS = 16_384;

    private HashSlot() {}

    public static int of(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) key = key.substring(open + 1, close);
        }
        return crc16(key.getBytes(StandardCharsets.UTF_8)) & (SLOTS - 1);
    }

    private static int crc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            crc &= 0xffff;
        }
        return crc;
    }
}
