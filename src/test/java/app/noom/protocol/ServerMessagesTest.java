package app.noom.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Shapes as documented in docs/PROTOCOL.md; {@code seq} is stamped later by the outbox and never present here. */
class ServerMessagesTest {
    private static final MemberInfo GRACE = new MemberInfo("m-Zp81LqQ2", "Grace", MediaState.INITIAL);
    private static final MemberInfo ADA = new MemberInfo("m-3fJ9a0Qk", "Ada", new MediaState(true, false, true));

    private static void assertFields(JsonObject json, String... fields) {
        assertEquals(Set.of(fields), json.fieldNames(), json.encode());
    }

    private static void assertMemberShape(JsonObject member, MemberInfo expected) {
        assertFields(member, "id", "nickname", "media");
        assertEquals(expected.id(), member.getString("id"));
        assertEquals(expected.nickname(), member.getString("nickname"));
        JsonObject media = member.getJsonObject("media");
        assertFields(media, "audioMuted", "videoOff", "screen");
        assertEquals(expected.media().audioMuted(), media.getBoolean("audioMuted"));
        assertEquals(expected.media().videoOff(), media.getBoolean("videoOff"));
        assertEquals(expected.media().screen(), media.getBoolean("screen"));
    }

    @Test
    void welcomeHasTheDocumentedFields() {
        JsonArray ice =
                new JsonArray().add(new JsonObject().put("urls", new JsonArray().add("stun:stun.l.google.com:19302")));
        JsonObject limits = new JsonObject().put("maxFrameBytes", 65_536);
        JsonObject m = ServerMessages.welcome("c1", "m-A", "token", false, ice, limits);
        assertFields(m, "type", "re", "sessionId", "resumeToken", "resumed", "iceServers", "limits");
        assertEquals("welcome", m.getString("type"));
        assertEquals("c1", m.getValue("re"));
        assertEquals("m-A", m.getString("sessionId"));
        assertEquals("token", m.getString("resumeToken"));
        assertFalse(m.getBoolean("resumed"));
        assertEquals(ice, m.getJsonArray("iceServers"));
        assertEquals(limits, m.getJsonObject("limits"));
    }

    @Test
    void ackCarriesRe() {
        JsonObject m = ServerMessages.ack("c8");
        assertFields(m, "type", "re");
        assertEquals("ack", m.getString("type"));
        assertEquals("c8", m.getValue("re"));
    }

    @Test
    void reIsOmittedWhenNull() {
        assertFields(ServerMessages.pong(null), "type");
        assertFields(ServerMessages.rooms(null, List.of()), "type", "rooms");
        assertFields(ServerMessages.joined(null, "r", "m-A", List.of()), "type", "room", "memberId", "members");
        assertFields(
                ServerMessages.welcome(null, "m-A", "t", false, new JsonArray(), new JsonObject()),
                "type",
                "sessionId",
                "resumeToken",
                "resumed",
                "iceServers",
                "limits");
        assertFalse(ServerMessages.pong(null).encode().contains("\"re\""));
    }

    @Test
    void integerReIsEchoedAsANumber() {
        assertEquals("{\"type\":\"pong\",\"re\":9}", ServerMessages.pong(9L).encode());
    }

    @Test
    void pongCarriesRe() {
        JsonObject m = ServerMessages.pong("c9");
        assertFields(m, "type", "re");
        assertEquals("pong", m.getString("type"));
    }

    @Test
    void errorHasCodeMessageAndRe() {
        JsonObject m = ServerMessages.error(
                new ProtocolException(ErrorCode.ROOM_FULL, "room 'standup' has 6 of 6 members", "c12"));
        assertFields(m, "type", "re", "code", "message");
        assertEquals("error", m.getString("type"));
        assertEquals("c12", m.getValue("re"));
        assertEquals("room_full", m.getString("code"));
        assertEquals("room 'standup' has 6 of 6 members", m.getString("message"));
    }

    @Test
    void errorCarriesItsDocumentedFieldsThroughTheRequestIdStamp() {
        ProtocolException kicked = new ProtocolException(ErrorCode.KICKED, "removed").with("until", 1764070600123L);
        JsonObject m = ServerMessages.error(kicked.withRequestId("c4"));
        assertEquals(Set.of("type", "re", "code", "message", "until"), m.fieldNames());
        assertEquals(1764070600123L, m.getLong("until"));
        assertEquals("c4", m.getString("re"));
        assertEquals(
                Set.of("type", "code", "message"),
                ServerMessages.error(new ProtocolException(ErrorCode.KICKED, "x"))
                        .fieldNames(),
                "no extra fields unless an error has them");
    }

    @Test
    void errorWithoutReadableIdOmitsRe() {
        JsonObject m = ServerMessages.error(new ProtocolException(ErrorCode.MALFORMED_JSON, "bad"));
        assertFields(m, "type", "code", "message");
        assertEquals("malformed_json", m.getString("code"));
    }

    @Test
    void errorCodesOnTheWireAreSnakeCase() {
        assertEquals("frame_too_large", ErrorCode.FRAME_TOO_LARGE.wire());
        assertEquals("binary_not_supported", ErrorCode.BINARY_NOT_SUPPORTED.wire());
        assertEquals("unsupported_version", ErrorCode.UNSUPPORTED_VERSION.wire());
        assertEquals("relay_unavailable", ErrorCode.RELAY_UNAVAILABLE.wire());
        for (ErrorCode code : ErrorCode.values()) assertTrue(code.wire().matches("[a-z]+(_[a-z]+)*"), code.wire());
    }

    @Test
    void roomsListsNameCountAndLock() {
        JsonObject m =
                ServerMessages.rooms("c2", List.of(new RoomCount("standup", 2), new RoomCount("retro", 1, true)));
        assertFields(m, "type", "re", "rooms");
        assertEquals("rooms", m.getString("type"));
        JsonArray rooms = m.getJsonArray("rooms");
        assertEquals(2, rooms.size());
        assertFields(rooms.getJsonObject(0), "name", "count", "locked");
        assertEquals("standup", rooms.getJsonObject(0).getString("name"));
        assertEquals(2, rooms.getJsonObject(0).getInteger("count"));
        assertEquals(false, rooms.getJsonObject(0).getBoolean("locked"));
        assertEquals("retro", rooms.getJsonObject(1).getString("name"));
        assertEquals(true, rooms.getJsonObject(1).getBoolean("locked"));
    }

    @Test
    void roomChangedHasRoomCountAndLockAndNoRe() {
        JsonObject m = ServerMessages.roomChanged(new RoomCount("standup", 0));
        assertFields(m, "type", "room", "count", "locked");
        assertEquals("room-changed", m.getString("type"));
        assertEquals(0, m.getInteger("count"));
    }

    @Test
    void joinedListsOthersWithMemberShape() {
        JsonObject m = ServerMessages.joined("c3", "standup", "m-3fJ9a0Qk", List.of(GRACE));
        assertFields(m, "type", "re", "room", "memberId", "members");
        assertEquals("joined", m.getString("type"));
        assertEquals("standup", m.getString("room"));
        assertEquals("m-3fJ9a0Qk", m.getString("memberId"));
        assertEquals(1, m.getJsonArray("members").size());
        assertMemberShape(m.getJsonArray("members").getJsonObject(0), GRACE);
    }

    @Test
    void memberJoinedCarriesTheMember() {
        JsonObject m = ServerMessages.memberJoined("standup", ADA);
        assertFields(m, "type", "room", "member");
        assertEquals("member-joined", m.getString("type"));
        assertMemberShape(m.getJsonObject("member"), ADA);
    }

    @Test
    void memberUpdatedCarriesTheMember() {
        JsonObject m = ServerMessages.memberUpdated("standup", ADA);
        assertFields(m, "type", "room", "member");
        assertEquals("member-updated", m.getString("type"));
        assertMemberShape(m.getJsonObject("member"), ADA);
    }

    @Test
    void memberLeftCarriesTheMemberId() {
        JsonObject m = ServerMessages.memberLeft("standup", "m-3fJ9a0Qk");
        assertFields(m, "type", "room", "memberId");
        assertEquals("member-left", m.getString("type"));
        assertEquals("m-3fJ9a0Qk", m.getString("memberId"));
    }

    @Test
    void signalCarriesServerStampedFromKindAndPayload() {
        JsonObject payload = new JsonObject().put("type", "offer").put("sdp", "v=0");
        JsonObject m = new JsonObject(
                ServerMessages.signal("standup", "m-3fJ9a0Qk", SignalKind.OFFER, new RawJson(payload.encode())));
        assertFields(m, "type", "room", "from", "kind", "payload");
        assertEquals("signal", m.getString("type"));
        assertEquals("m-3fJ9a0Qk", m.getString("from"));
        assertEquals("offer", m.getString("kind"));
        assertEquals(payload, m.getJsonObject("payload"));
    }

    @Test
    void textBuiltSignalEscapesTheRoomNameAsJacksonWould() {
        String room = "q\"uo\\te <b> \u00e9 \u2028";
        String text = ServerMessages.signal(room, "m-1", SignalKind.CANDIDATE, new RawJson("{\"c\":1}"));
        JsonObject m = new JsonObject(text);
        assertEquals(room, m.getString("room"));
        assertEquals(new JsonObject().put("c", 1), m.getJsonObject("payload"));
    }

    @Test
    void directlyWrittenAckEqualsWhatJacksonWrites() {
        for (Object re : new Object[] {"c1", "q\"\\\u0001", 42L, 7}) {
            JsonObject ack = ServerMessages.ack(re);
            assertEquals(ack.encode(), ServerMessages.encode(ack), String.valueOf(re));
        }
    }

    /** A request without id gets no bare ack: there is nothing to correlate it with (PROTOCOL.md, Envelope). */
    @Test
    void noAckForARequestWithoutId() {
        assertNull(ServerMessages.ack(null));
        assertNotNull(ServerMessages.pong(null));
        assertNotNull(ServerMessages.error(new ProtocolException(ErrorCode.UNKNOWN_MEMBER, "no such member")));
    }

    @Test
    void signalKindsOnTheWireAreLowerCase() {
        assertEquals(
                List.of("offer", "answer", "candidate", "renegotiate"),
                java.util.Arrays.stream(SignalKind.values())
                        .map(SignalKind::wire)
                        .toList());
    }

    @Test
    void chatCarriesFromNicknameTextAndTs() {
        JsonObject m = ServerMessages.chat("standup", ADA, "hello <b>all</b>", 1_764_070_000_123L);
        assertFields(m, "type", "room", "from", "nickname", "text", "ts");
        assertEquals("chat", m.getString("type"));
        assertEquals("m-3fJ9a0Qk", m.getString("from"));
        assertEquals("Ada", m.getString("nickname"));
        assertEquals("hello <b>all</b>", m.getString("text"));
        assertEquals(1_764_070_000_123L, m.getLong("ts"));
    }

    @Test
    void memberInfoRoundTripsThroughJson() {
        assertEquals(ADA, MemberInfo.fromJson(ADA.toJson()));
        assertEquals(GRACE, MemberInfo.fromJson(new JsonObject(GRACE.toJson().encode())));
    }

    @Test
    void aFrameIsTheMessageWithItsSeqFirst() {
        String chat = ServerMessages.encode(new JsonObject().put("type", "chat").put("text", "hi"));
        String frame = ServerMessages.withSeq(42, chat);
        assertTrue(frame.startsWith("{\"seq\":42,"), frame);
        assertEquals(new JsonObject(chat).put("seq", 42), new JsonObject(frame));
    }
}
