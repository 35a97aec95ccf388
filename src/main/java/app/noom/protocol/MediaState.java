package app.noom.protocol;

import io.vertx.core.json.JsonObject;

/** What a member's tile should show: muted microphone, camera off, sharing the screen. */
public record MediaState(boolean audioMuted, boolean videoOff, boolean screen) {
    public static final MediaState INITIAL = new MediaState(false, false, false);

    public JsonObject toJson() {
        return new JsonObject()
                .put("audioMuted", audioMuted)
                .put("videoOff", videoOff)
                .put("screen", screen);
    }

    public static MediaState fromJson(JsonObject json) {
        return new MediaState(
                json.getBoolean("audioMuted", false),
                json.getBoolean("videoOff", false),
                json.getBoolean("screen", false));
    }
}
