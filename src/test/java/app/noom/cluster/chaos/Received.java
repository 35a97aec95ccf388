package app.noom.cluster.chaos;

import io.vertx.core.json.JsonObject;

/** One server frame as a client got it; {@code at} is System.nanoTime at arrival, comparable across clients. */
record Received(long at, JsonObject frame) {
    String type() {
        return frame.getString("type");
    }

    long seq() {
        return frame.getLong("seq", -1L);
    }

    String re() {
        Object re = frame.getValue("re");
        return re == null ? null : re.toString();
    }

    String room() {
        return frame.getString("room");
    }

    boolean is(String type) {
        return type.equals(type());
    }

    String brief() {
        String text = frame.encode();
        return text.length() > 220 ? text.substring(0, 220) + "…" : text;
    }
}
