package app.noom.cluster.chaos;

import io.vertx.core.json.JsonObject;

/** One request as a client sent it; {@code at} is System.nanoTime just before the write. */
record Sent(long at, String id, JsonObject msg) {
    String type() {
        return msg.getString("type");
    }

    String room() {
        return msg.getString("room");
    }

    /** The signal's unique number (its payload carries {@code n} and the client's name {@code c}), else -1. */
    long signalNumber() {
        return "signal".equals(type()) ? msg.getJsonObject("payload").getLong("n", -1L) : -1L;
    }

    String brief() {
        String text = msg.encode();
        return text.length() > 220 ? text.substring(0, 220) + "…" : text;
    }
}
