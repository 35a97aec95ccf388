package app.noom.session;

import app.noom.fanout.Envelope;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * What a session has received from the cluster: per channel (its direct channel, each room) and publishing node, the
 * highest serial seen. When the session moves, the new node subscribes before the old one stops, so a message
 * published in between reaches both; the new node skips what these marks say the old one already had — every message
 * exactly once across a hand-over (I2). Envelopes that never crossed Redis carry no origin and are not tracked.
 */
final class DeliveryWatermarks {
    private static final Map<String, Long> NONE = Map.of();
    /** Created on the first envelope that crossed Redis: a single node never needs it. */
    private Map<String, Long> highest = NONE;

    void saw(Envelope envelope) {
        if (envelope.origin() == null) return;
        if (highest == NONE) highest = new HashMap<>();
        highest.merge(key(envelope), envelope.serial(), Math::max);
    }

    boolean alreadySeen(Envelope envelope) {
        if (envelope.origin() == null) return false;
        Long mark = highest.get(key(envelope));
        return mark != null && envelope.serial() <= mark;
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject();
        highest.forEach(json::put);
        return json;
    }

    static DeliveryWatermarks fromJson(JsonObject json) {
        DeliveryWatermarks marks = new DeliveryWatermarks();
        if (json != null && !json.isEmpty()) {
            marks.highest = new HashMap<>();
            json.forEach(entry -> marks.highest.put(entry.getKey(), ((Number) entry.getValue()).longValue()));
        }
        return marks;
    }

    /**
     * Directed messages travel on the member's channel in their room, everything else on the room's channel; one node's
     * serials are ordered per channel only (in a Redis Cluster two rooms' channels may be two shards).
     */
    private static String key(Envelope e) {
        return (e.kind() == Envelope.Kind.SIGNAL ? "@" : "#") + e.room() + '\u0000' + e.origin();
    }
}
