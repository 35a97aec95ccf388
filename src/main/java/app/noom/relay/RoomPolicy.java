package app.noom.relay;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Who may enter a room and who runs it, shared by every node: set by the member who creates the room, changed by its
 * host. The password is only ever held as a salted slow hash; {@link #toString()} never shows it.
 */
public record RoomPolicy(String host, boolean locked, boolean privateRoom, Optional<String> passwordHash) {

    public static RoomPolicy createdBy(String memberId, boolean privateRoom, Optional<String> passwordHash) {
        return new RoomPolicy(memberId, false, privateRoom, passwordHash);
    }

    public RoomPolicy withHost(String newHost) {
        return new RoomPolicy(newHost, locked, privateRoom, passwordHash);
    }

    public RoomPolicy withLocked(boolean newLocked) {
        return new RoomPolicy(host, newLocked, privateRoom, passwordHash);
    }

    /** What members are told: never the password hash. */
    public JsonObject toPublicJson(String room) {
        return new JsonObject()
                .put("room", room)
                .put("host", host)
                .put("locked", locked)
                .put("private", privateRoom)
                .put("passwordProtected", passwordHash.isPresent());
    }

    @Override
    public String toString() {
        return "RoomPolicy[host=" + host + ", locked=" + locked + ", private=" + privateRoom + ", password="
                + (passwordHash.isPresent() ? "<set>" : "<none>") + "]";
    }
}
