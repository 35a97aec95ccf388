package app.noom.session;

import app.noom.auth.TokenVerifier;
import app.noom.config.NoomConfig;
import app.noom.metrics.NoomMetrics;
import app.noom.protocol.MessageParser;
import app.noom.relay.SessionMailboxes;
import app.noom.room.RoomService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Function;

/** What every session on a node shares; built once per node, passed by constructor. */
public record SessionServices(
        NoomConfig.Limits limits,
        MessageParser parser,
        RoomService rooms,
        SessionMailboxes mailboxes,
        Function<String, JsonArray> iceServersForSession,
        ResumeRegistry resumes,
        AttemptThrottle passwordAttempts,
        Optional<TokenVerifier> tokens,
        long resumeGraceNanos,
        NoomMetrics metrics) {

    /** The limits as announced in {@code welcome}. */
    public JsonObject limitsJson() {
        return new JsonObject()
                .put("maxFrameBytes", limits.maxFrameBytes())
                .put("maxMembersPerRoom", limits.maxMembersPerRoom())
                .put("maxRoomsPerSession", limits.maxRoomsPerSession())
                .put("maxNicknameLength", limits.maxNicknameLength())
                .put("maxRoomNameLength", limits.maxRoomNameLength())
                .put("maxChatLength", limits.maxChatLength())
                .put("idleTimeoutSeconds", limits.idleTimeoutSeconds())
                .put("pingIntervalSeconds", limits.pingIntervalSeconds());
    }

    public static MessageParser parserFor(NoomConfig.Limits limits) {
        return new MessageParser(
                limits.maxFrameBytes(), limits.maxNicknameLength(), limits.maxRoomNameLength(), limits.maxChatLength());
    }
}
