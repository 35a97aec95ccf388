package app.noom.relay.redis;

import app.noom.fanout.Envelope;
import java.time.Instant;

/**
 * The one text form of an envelope on a Redis channel: {@code node|serial|µs|envelope}. {@code serial} counts the
 * publishing node's messages in the order Redis receives them (assigned on the connector's context), so per channel a
 * receiver sees one node's serials increase and a moving session can tell what it already has; {@code µs} is the
 * sender's wall clock, for the cross-node leg of the relay latency histogram.
 */
final class ClusterPayload {
    private ClusterPayload() {}

    static String encode(String nodeId, long serial, Envelope envelope) {
        return nodeId + '|' + serial + '|' + wallMicros() + '|' + envelope.encode();
    }

    /** The envelope, marked with its origin node and serial. */
    static Envelope decode(String payload) {
        int first = payload.indexOf('|');
        int second = payload.indexOf('|', first + 1);
        int third = payload.indexOf('|', second + 1);
        return Envelope.decode(payload.substring(third + 1))
                .fromCluster(payload.substring(0, first), Long.parseLong(payload, first + 1, second, 10));
    }

    /** How long ago (µs, by the wall clock) the payload was published; 0 if the clocks disagree. */
    static long ageMicros(String payload) {
        int second = payload.indexOf('|', payload.indexOf('|') + 1);
        int third = payload.indexOf('|', second + 1);
        return Math.max(0, wallMicros() - Long.parseLong(payload, second + 1, third, 10));
    }

    static long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }
}
