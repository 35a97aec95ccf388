package app.noom.auth;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What a verified join token allows: {@code room} limits which room the session may enter (empty: any), {@code host}
 * makes the bearer host of the rooms it may enter; {@code subject} is the token's {@code sub}, the person behind the
 * session (a kick bans it, not only the session). Anonymous sessions (no token configured) get {@link #ANONYMOUS}.
 * Grants travel with a session that moves to another node: access is cluster state, not one node's memory.
 */
public record Grants(Optional<String> room, boolean host, Optional<String> subject) {
    public static final Grants ANONYMOUS = new Grants(Optional.empty(), false, Optional.empty());

    public boolean mayEnter(String roomName) {
        return room.isEmpty() || room.get().equals(roomName);
    }

    public boolean hostOf(String roomName) {
        return host && mayEnter(roomName);
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("host", host);
        room.ifPresent(r -> json.put("room", r));
        subject.ifPresent(s -> json.put("sub", s));
        return json;
    }

    /** The inverse of {@link #toJson()}; absent (a session from an older node) means anonymous. */
    public static Grants fromJson(JsonObject json) {
        if (json == null) return ANONYMOUS;
        return new Grants(
                Optional.ofNullable(json.getString("room")),
                json.getBoolean("host", false),
                Optional.ofNullable(json.getString("sub")));
    }
}
