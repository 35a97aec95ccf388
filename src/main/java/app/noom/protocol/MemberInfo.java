package app.noom.protocol;

import io.vertx.core.json.JsonObject;

/** A room member as every other member sees it. The id is the session's public id. */
public record MemberInfo(String id, String nickname, MediaState media) {

    public MemberInfo withNickname(String newNickname) {
        return new MemberInfo(id, newNickname, media);
    }

    public JsonObject toJson() {
        return new JsonObject().put("id", id).put("nickname", nickname).put("media", media.toJson());
    }

    public static MemberInfo fromJson(JsonObject json) {
        return new MemberInfo(
                json.getString("id"),
                json.getString("nickname"),
                MediaState.fromJson(json.getJsonObject("media", new JsonObject())));
    }
}
