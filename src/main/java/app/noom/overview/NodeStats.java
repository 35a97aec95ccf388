package app.noom.overview;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One node's figures at one instant, with the previous sample so that anyone reading them can derive rates: open
 * sessions and the totals of messages received from and sent to clients. Written by each node into
 * {@code noom:node:<id>:stats} with every heartbeat; only counts, never anything about who.
 */
public record NodeStats(
        long sessions,
        long messagesIn,
        long messagesOut,
        long atMillis,
        long previousIn,
        long previousOut,
        long previousAtMillis) {

    /** Messages received per second over the last interval; empty before there are two samples. */
    Optional<Double> inPerSecond() {
        return rate(messagesIn, previousIn);
    }

    Optional<Double> outPerSecond() {
        return rate(messagesOut, previousOut);
    }

    private Optional<Double> rate(long now, long before) {
        long millis = atMillis - previousAtMillis;
        if (previousAtMillis <= 0 || millis <= 0) return Optional.empty();
        return Optional.of(Math.max(0, now - before) * 1000.0 / millis);
    }

    public Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("sessions", Long.toString(sessions));
        fields.put("in", Long.toString(messagesIn));
        fields.put("out", Long.toString(messagesOut));
        fields.put("at", Long.toString(atMillis));
        fields.put("prevIn", Long.toString(previousIn));
        fields.put("prevOut", Long.toString(previousOut));
        fields.put("prevAt", Long.toString(previousAtMillis));
        return fields;
    }

    /** Parses what {@link #toFields()} wrote; empty when the hash is missing or malformed. */
    public static Optional<NodeStats> fromFields(Map<String, String> fields) {
        try {
            if (!fields.containsKey("at")) return Optional.empty();
            return Optional.of(new NodeStats(
                    number(fields, "sessions"),
                    number(fields, "in"),
                    number(fields, "out"),
                    number(fields, "at"),
                    number(fields, "prevIn"),
                    number(fields, "prevOut"),
                    number(fields, "prevAt")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long number(Map<String, String> fields, String name) {
        String value = fields.get(name);
        return value == null ? 0 : Long.parseLong(value);
    }
}
