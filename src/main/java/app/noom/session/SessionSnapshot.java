package app.noom.session;

import app.noom.auth.Grants;
import app.noom.protocol.MediaState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A session in transit between nodes: identity, rooms as its client knows them, and the frames its client has not
 * acknowledged seeing (with their original seq), what its join token allows, and the watermarks of what it
 * received from the cluster ({@code delivered}, see {@link DeliveryWatermarks}). Carries no token. {@code complete} is false when the session was
 * rebuilt after its node died: messages that were in flight then are lost.
 */
record SessionSnapshot(
        String memberId,
        String nickname,
        long seq,
        List<String> missedFrames,
        List<RoomState> rooms,
        boolean roomListSubscribed,
        boolean complete,
        Grants grants,
        JsonObject delivered) {

    record RoomState(String room, MediaState media, List<String> memberIds) {}

    JsonObject toJson() {
        JsonArray roomArray = new JsonArray();
        rooms.forEach(r -> roomArray.add(new JsonObject()
                .put("room", r.room())
                .put("media", r.media().toJson())
                .put("members", new JsonArray(r.memberIds()))));
        return new JsonObject()
                .put("memberId", memberId)
                .put("nickname", nickname)
                .put("seq", seq)
                .put("frames", new JsonArray(missedFrames))
                .put("rooms", roomArray)
                .put("roomList", roomListSubscribed)
                .put("complete", complete)
                .put("grants", grants.toJson())
                .put("delivered", delivered);
    }

    static SessionSnapshot fromJson(JsonObject json) {
        List<RoomState> rooms = json.getJsonArray("rooms").stream()
                .map(JsonObject.class::cast)
                .map(r -> new RoomState(
                        r.getString("room"),
                        MediaState.fromJson(r.getJsonObject("media")),
                        r.getJsonArray("members").stream()
                                .map(String.class::cast)
                                .toList()))
                .toList();
        return new SessionSnapshot(
                json.getString("memberId"),
                json.getString("nickname"),
                json.getLong("seq"),
                json.getJsonArray("frames").stream().map(String.class::cast).toList(),
                rooms,
                json.getBoolean("roomList"),
                json.getBoolean("complete", true),
                Grants.fromJson(json.getJsonObject("grants")),
                json.getJsonObject("delivered", new JsonObject()));
    }
}
