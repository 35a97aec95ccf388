package app.noom.integration.room;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Join, leave, room list, chat and directed signals against a real node, over WebSocket and over SockJS. */
@ExtendWith(VertxExtension.class)
class RoomLifecycleTest {
    private static NoomNode node;
    private final List<ProtocolClient> clients = new ArrayList<>();
    private Vertx vertx;

    @BeforeAll
    static void startNode() {
        node = NoomNode.start(Map.of());
    }

    @AfterAll
    static void stopNode() throws Exception {
        node.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ProtocolClient::close);
    }

    private ProtocolClient client(Transport transport, Vertx vertx, String nickname) {
        this.vertx = vertx;
        ProtocolClient client = transport.connect(vertx, node.port());
        clients.add(client);
        client.hello(nickname);
        return client;
    }

    private static String room(String name) {
        return name + "-" + System.nanoTime();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void joinIsAnnouncedToOthersAndLeaveToo(Transport transport, Vertx vertx) {
        String room = room("lifecycle");
        ProtocolClient ada = client(transport, vertx, "Ada");
        ProtocolClient grace = client(transport, vertx, "Grace");
        JsonObject adaJoined = ada.join(room);
        assertEquals(ada.sessionId, adaJoined.getString("memberId"));
        assertEquals(0, adaJoined.getJsonArray("members").size());

        JsonObject graceJoined = grace.join(room);
        JsonArray members = graceJoined.getJsonArray("members");
        assertEquals(1, members.size());
        assertEquals(ada.sessionId, members.getJsonObject(0).getString("id"));
        assertEquals("Ada", members.getJsonObject(0).getString("nickname"));

        JsonObject announced = ada.nextOfType("member-joined");
        assertEquals(grace.sessionId, announced.getJsonObject("member").getString("id"));
        assertEquals("Grace", announced.getJsonObject("member").getString("nickname"));

        assertEquals("ack", grace.request(msg("leave").put("room", room)).getString("type"));
        JsonObject left = ada.nextOfType("member-left");
        assertEquals(grace.sessionId, left.getString("memberId"));
        assertEquals(room, left.getString("room"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void disconnectingLeavesEveryRoom(Transport transport, Vertx vertx) {
        String room = room("disconnect");
        ProtocolClient ada = client(transport, vertx, "Ada");
        ProtocolClient grace = client(transport, vertx, "Grace");
        ada.join(room);
        grace.join(room);
        ada.nextOfType("member-joined");
        grace.close();
        assertEquals(grace.sessionId, ada.nextOfType("member-left").getString("memberId"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void roomListIsPushedWithHeadCountsAndEmptyRoomsDisappear(Transport transport, Vertx vertx) {
        String room = room("listed");
        ProtocolClient watcher = client(transport, vertx, "Watcher");
        JsonObject snapshot = watcher.request(msg("rooms-subscribe"));
        assertEquals("rooms", snapshot.getString("type"));
        assertFalse(snapshot.getJsonArray("rooms").encode().contains(room));

        ProtocolClient ada = client(transport, vertx, "Ada");
        ProtocolClient grace = client(transport, vertx, "Grace");
        ada.join(room);
        assertEquals(1, countPush(watcher, room, 1));
        grace.join(room);
        assertEquals(2, countPush(watcher, room, 2));
        grace.request(msg("leave").put("room", room));
        assertEquals(1, countPush(watcher, room, 1));
        ada.close();
        assertEquals(0, countPush(watcher, room, 0));

        JsonObject after = watcher.request(msg("rooms-subscribe"));
        assertFalse(after.getJsonArray("rooms").encode().contains(room), "empty room must disappear: " + after);
    }

    /** Pushes are coalesced (latest count wins): waits for the push that carries {@code expected}. */
    private static int countPush(ProtocolClient watcher, String room, int expected) {
        return watcher.next(m -> "room-changed".equals(m.getString("type"))
                        && room.equals(m.getString("room"))
                        && m.getInteger("count") == expected)
                .getInteger("count");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void chatIsStampedBySenderNicknameAndServerTime(Transport transport, Vertx vertx) {
        String room = room("chat");
        ProtocolClient ada = client(transport, vertx, "Ada");
        ProtocolClient grace = client(transport, vertx, "Grace");
        ada.join(room);
        grace.join(room);
        long before = System.currentTimeMillis();
        JsonObject ack = grace.request(msg("chat")
                .put("room", room)
                .put("text", "  <b>hi</b>  ")
                .put("from", "forged")
                .put("nickname", "Mallory"));
        assertEquals("ack", ack.getString("type"));
        for (ProtocolClient receiver : List.of(ada, grace)) {
            JsonObject chat = receiver.nextOfType("chat");
            assertEquals(grace.sessionId, chat.getString("from"));
            assertEquals("Grace", chat.getString("nickname"));
            assertEquals("<b>hi</b>", chat.getString("text"));
            assertTrue(chat.getLong("ts") >= before && chat.getLong("ts") <= System.currentTimeMillis());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void signalReachesOnlyItsTargetWithServerStampedSender(Transport transport, Vertx vertx) {
        String room = room("signal");
        ProtocolClient ada = client(transport, vertx, "Ada");
        ProtocolClient grace = client(transport, vertx, "Grace");
        ProtocolClient linus = client(transport, vertx, "Linus");
        ada.join(room);
        grace.join(room);
        linus.join(room);
        JsonObject offer = new JsonObject().put("type", "offer").put("sdp", "v=0\r\n");
        JsonObject ack = grace.request(msg("signal")
                .put("room", room)
                .put("to", ada.sessionId)
                .put("kind", "offer")
                .put("payload", offer)
                .put("from", linus.sessionId));
        assertEquals("ack", ack.getString("type"));
        JsonObject relayed = ada.nextOfType("signal");
        assertEquals(grace.sessionId, relayed.getString("from"), "from is stamped by the server");
        assertEquals("offer", relayed.getString("kind"));
        assertEquals(offer, relayed.getJsonObject("payload"));

        // linus must not see it: a later chat from ada is the first signal-or-chat message he gets
        ada.request(msg("chat").put("room", room).put("text", "marker"));
        JsonObject first = linus.next(m -> "signal".equals(m.getString("type")) || "chat".equals(m.getString("type")));
        assertEquals("chat", first.getString("type"));
    }

    /** A message without {@code id} gets no {@code ack} (nothing to correlate it with), but still its error. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSignalWithoutIdIsRelayedUnacknowledgedAndStillRefusedInWords(Transport transport, Vertx vertx) {
        String room = room("noid");
        ProtocolClient ada = client(transport, vertx, "Ada");
        ProtocolClient grace = client(transport, vertx, "Grace");
        ada.join(room);
        grace.join(room);
        JsonObject candidate = new JsonObject().put("candidate", "c1");
        grace.send(msg("signal")
                .put("room", room)
                .put("to", ada.sessionId)
                .put("kind", "candidate")
                .put("payload", candidate));
        assertEquals(candidate, ada.nextOfType("signal").getJsonObject("payload"));
        grace.send(msg("signal")
                .put("room", room)
                .put("to", "m-nobody")
                .put("kind", "candidate")
                .put("payload", candidate));
        JsonObject refused = grace.nextOfType("error");
        assertEquals("unknown_member", refused.getString("code"));
        assertFalse(refused.containsKey("re"));

        // answers leave in request order: a ping sent after both is answered after anything they caused
        assertEquals("pong", grace.request(msg("ping")).getString("type"));
        assertTrue(
                grace.seen().stream().noneMatch(m -> "ack".equals(m.getString("type")) && !m.containsKey("re")),
                () -> "no ack for the signals without id: " + grace.seen());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void memberOfAnotherRoomCannotBeSignalled(Transport transport, Vertx vertx) {
        ProtocolClient ada = client(transport, vertx, "Ada");
        ProtocolClient grace = client(transport, vertx, "Grace");
        String adaRoom = room("a");
        String graceRoom = room("g");
        ada.join(adaRoom);
        grace.join(graceRoom);
        grace.expectError(
                msg("signal")
                        .put("room", graceRoom)
                        .put("to", ada.sessionId)
                        .put("kind", "offer")
                        .put("payload", new JsonObject()),
                "unknown_member");
        grace.expectError(
                msg("signal")
                        .put("room", adaRoom)
                        .put("to", ada.sessionId)
                        .put("kind", "offer")
                        .put("payload", new JsonObject()),
                "not_in_room");
        ada.request(msg("ping"));
        assertTrue(ada.seen().stream().noneMatch(m -> "signal".equals(m.getString("type"))));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void nicknameAndMediaChangesReachTheRoom(Transport transport, Vertx vertx) {
        String room = room("media");
        ProtocolClient ada = client(transport, vertx, "Ada");
        ProtocolClient grace = client(transport, vertx, "Grace");
        ada.join(room);
        grace.join(room);
        grace.request(msg("media")
                .put("room", room)
                .put("audioMuted", true)
                .put("videoOff", false)
                .put("screen", true));
        JsonObject updated = ada.nextOfType("member-updated");
        assertEquals(grace.sessionId, updated.getJsonObject("member").getString("id"));
        assertTrue(updated.getJsonObject("member").getJsonObject("media").getBoolean("audioMuted"));
        assertTrue(updated.getJsonObject("member").getJsonObject("media").getBoolean("screen"));

        grace.request(msg("nickname").put("nickname", "Grace H."));
        JsonObject renamed = ada.next(m -> "member-updated".equals(m.getString("type"))
                && "Grace H.".equals(m.getJsonObject("member").getString("nickname")));
        assertTrue(
                renamed.getJsonObject("member").getJsonObject("media").getBoolean("audioMuted"),
                "a rename keeps the media state");
        // a newcomer sees the current state in its snapshot
        ProtocolClient linus = client(transport, vertx, "Linus");
        JsonObject joined = linus.join(room);
        assertTrue(joined.encode().contains("Grace H."));
    }

    @Test
    void webSocketAndSockJsClientsShareRooms(Vertx vertx) {
        String room = room("mixed");
        ProtocolClient ws = client(Transport.WEBSOCKET, vertx, "Ws");
        ProtocolClient sockJs = client(Transport.SOCKJS, vertx, "SockJs");
        ws.join(room);
        sockJs.join(room);
        sockJs.request(msg("signal")
                .put("room", room)
                .put("to", ws.sessionId)
                .put("kind", "candidate")
                .put("payload", new JsonObject().put("candidate", "candidate:1 1 udp 1 127.0.0.1 5000 typ host")));
        assertEquals(sockJs.sessionId, ws.nextOfType("signal").getString("from"));
        ws.request(msg("chat").put("room", room).put("text", "over websocket"));
        assertEquals("over websocket", sockJs.nextOfType("chat").getString("text"));
    }

    @Test
    void serverMessagesCarryIncreasingSequenceNumbers(Vertx vertx) {
        ProtocolClient ada = client(Transport.WEBSOCKET, vertx, "Ada");
        ada.join(room("seq"));
        ada.request(msg("ping"));
        long previous = 0;
        for (JsonObject m : ada.seen()) {
            assertEquals(previous + 1, m.getLong("seq"), () -> "gap or repeat in " + ada.seen());
            previous = m.getLong("seq");
        }
        assertTrue(previous >= 3);
    }
}
