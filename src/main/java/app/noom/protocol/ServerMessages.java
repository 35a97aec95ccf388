package app.noom.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/**
 * Builders for every server → client message, without {@code seq}: the session's outbox stamps it on the way out, so
 * a message fanned out to many sessions is encoded once.
 */
public final class ServerMessages {
    private ServerMessages() {}

    public static JsonObject welcome(
            Object re, String sessionId, String resumeToken, boolean resumed, JsonArray iceServers, JsonObject limits) {
        return reply("welcome", re)
                .put("sessionId", sessionId)
                .put("resumeToken", resumeToken)
                .put("resumed", resumed)
                .put("iceServers", iceServers)
                .put("limits", limits);
    }

    /** The node is shutting down: reconnect (through the load balancer) and join again. */
    public static JsonObject goAway() {
        return typed("goaway").put("reason", "draining");
    }

    /**
     * The answer to a request that needs no other: null (nothing is sent) when the request carried no {@code id}, since
     * an {@code ack} says nothing but {@code re}. Errors are always sent. This halves the frames of a signal stream.
     */
    public static JsonObject ack(Object re) {
        return re == null ? null : reply("ack", re);
    }

    public static JsonObject pong(Object re) {
        return reply("pong", re);
    }

    public static JsonObject error(ProtocolException e) {
        return reply("error", e.requestId())
                .mergeIn(e.fields())
                .put("code", e.code().wire())
                .put("message", e.getMessage());
    }

    public static JsonObject rooms(Object re, Collection<RoomCount> rooms) {
        JsonArray list = new JsonArray();
        rooms.forEach(r -> list.add(
                new JsonObject().put("name", r.room()).put("count", r.count()).put("locked", r.locked())));
        return reply("rooms", re).put("rooms", list);
    }

    public static JsonObject roomChanged(RoomCount change) {
        return typed("room-changed")
                .put("room", change.room())
                .put("count", change.count())
                .put("locked", change.locked());
    }

    public static JsonObject joined(Object re, String room, String memberId, Collection<MemberInfo> others) {
        JsonArray members = new JsonArray();
        others.forEach(m -> members.add(m.toJson()));
        return reply("joined", re).put("room", room).put("memberId", memberId).put("members", members);
    }

    /** The room's host, lock and visibility (never its password), as in {@code joined} and after host actions. */
    public static JsonObject roomUpdated(JsonObject publicPolicy) {
        return typed("room-updated").mergeIn(publicPolicy);
    }

    /** To a member removed by the host: it may not come back before {@code until} (epoch ms). */
    public static JsonObject kicked(String room, String by, long until) {
        return typed("kicked").put("room", room).put("by", by).put("until", until);
    }

    public static JsonObject memberJoined(String room, MemberInfo member) {
        return typed("member-joined").put("room", room).put("member", member.toJson());
    }

    public static JsonObject memberUpdated(String room, MemberInfo member) {
        return typed("member-updated").put("room", room).put("member", member.toJson());
    }

    /**
     * The node lost its subscription to the room's messages for a while (a broker shard switch) and has it again: what
     * was addressed to the room meanwhile may be lost; {@code members} is everyone in the room now, the receiver too.
     */
    public static JsonObject roomResync(String room, Collection<MemberInfo> members) {
        JsonArray list = new JsonArray();
        members.forEach(m -> list.add(m.toJson()));
        return typed("room-resync").put("room", room).put("members", list);
    }

    public static JsonObject memberLeft(String room, String memberId) {
        return typed("member-left").put("room", room).put("memberId", memberId);
    }

    /**
     * The relayed signal, written as text: every signal (SDP, ICE candidate) passes here, and its payload is the client's
     * already-validated span, copied rather than parsed into a tree and encoded again.
     */
    public static String signal(String room, String from, SignalKind kind, RawJson payload) {
        return new StringBuilder(
                        72 + room.length() + from.length() + payload.text().length())
                .append("{\"type\":\"signal\",\"room\":")
                .append(quote(room))
                .append(",\"from\":")
                .append(quote(from))
                .append(",\"kind\":\"")
                .append(kind.wire())
                .append("\",\"payload\":")
                .append(payload.text())
                .append('}')
                .toString();
    }

    /**
     * Encodes a server message. The {@code ack} (the answer to most requests, one per relayed signal or chat) is written
     * directly; everything else goes through Jackson.
     */
    /**
     * The frame a session sends: {@code json}, an encoded message without {@code seq}, numbered {@code seq}. The one
     * place a sequence number is written into a frame (by text: {@code json} may be shared by many sessions).
     */
    public static String withSeq(long seq, String json) {
        return "{\"seq\":" + seq + "," + json.substring(1);
    }

    public static String encode(JsonObject message) {
        if (message.size() == 2 && "ack".equals(message.getValue("type"))) {
            Object re = message.getValue("re");
            if (re instanceof String s) return "{\"type\":\"ack\",\"re\":" + quote(s) + "}";
            if (re instanceof Long || re instanceof Integer) return "{\"type\":\"ack\",\"re\":" + re + "}";
        }
        return message.encode();
    }

    /** A JSON string literal, escaped as Jackson escapes it. */
    static String quote(String s) {
        char[] escaped = JsonStringEncoder.getInstance().quoteAsString(s);
        return new StringBuilder(escaped.length + 2)
                .append('"')
                .append(escaped)
                .append('"')
                .toString();
    }

    public static JsonObject chat(String room, MemberInfo from, String text, long ts) {
        return typed("chat")
                .put("room", room)
                .put("from", from.id())
                .put("nickname", from.nickname())
                .put("text", text)
                .put("ts", ts);
    }

    private static JsonObject typed(String type) {
        return new JsonObject().put("type", type);
    }

    private static JsonObject reply(String type, Object re) {
        JsonObject json = typed(type);
        if (re != null) json.put("re", re);
        return json;
    }
}
