package app.noom.cluster.shards;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's key slot: CRC16 (XMODEM: polynomial 0x1021, initial 0) of the key's hash tag — the text between
 * the first '{' and the next '}' when that is not empty, else the whole key — modulo 16384. Lets a test pick a name
 * whose slot it wants without asking Redis once per candidate (SlotOfTest checks it against CLUSTER KEYSLOT).
 */
public final class SlotOf {
    private SlotOf() {}

    public static int key(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) key = key.substring(open + 1, close);
        }
        return crc16(key.getBytes(StandardCharsets.UTF_8)) & 16383;
    }

    static int crc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            crc &= 0xffff;
        }
        return crc;
    }
}
