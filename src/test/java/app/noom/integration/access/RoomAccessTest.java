package app.noom.integration.access;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RedisServer;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who gets in: passwords, locks, kicks, host hand-over and private rooms — on one node, and across two nodes sharing
 * Redis (the host on one node, the others on the other).
 */
@ExtendWith(VertxExtension.class)
class RoomAccessTest {
    private static RedisServer redis;
    private static NoomNode single;
    private static NoomNode clusterA;
    private static NoomNode clusterB;
    private final List<ProtocolClient> clients = new ArrayList<>();

    /** Where the host connects, and where everyone else does. */
    record Topology(String name, NoomNode hostNode, NoomNode otherNode) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        single = NoomNode.start(Map.of("KICK_BAN_SECONDS", "60", "PASSWORD_ATTEMPTS_PER_MINUTE", "3"));
        clusterA = NoomNode.start(Map.of(
                "REDIS_URL",
                redis.url(),
                "NODE_ID",
                "access-a",
                "KICK_BAN_SECONDS",
                "60",
                "PASSWORD_ATTEMPTS_PER_MINUTE",
                "3"));
        clusterB = NoomNode.start(Map.of(
                "REDIS_URL",
                redis.url(),
                "NODE_ID",
                "access-b",
                "KICK_BAN_SECONDS",
                "60",
                "PASSWORD_ATTEMPTS_PER_MINUTE",
                "3"));
    }

    @AfterAll
    static void stop() throws Exception {
        single.close();
        clusterA.close();
        clusterB.close();
        redis.close();
    }

    static Stream<Topology> topologies() {
        return Stream.of(new Topology("one node", single, single), new Topology("two nodes", clusterA, clusterB));
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ProtocolClient::close);
    }

    private ProtocolClient client(Vertx vertx, NoomNode node, String nickname) {
        ProtocolClient client = Transport.WEBSOCKET.connect(vertx, node.port());
        clients.add(client);
        client.hello(nickname);
        return client;
    }

    private static String room(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void creatorIsHostAndPasswordIsRequiredThenThrottled(Topology t, Vertx vertx) {
        String room = room("secret");
        ProtocolClient host = client(vertx, t.hostNode(), "Host");
        JsonObject joined = host.request(msg("join").put("room", room).put("password", "correct horse"));
        assertEquals("joined", joined.getString("type"), joined::encode);
        assertEquals(host.sessionId, joined.getJsonObject("policy").getString("host"));
        assertTrue(joined.getJsonObject("policy").getBoolean("passwordProtected"));
        assertFalse(joined.encode().contains("pbkdf2"), "the hash never reaches a client");

        ProtocolClient guest = client(vertx, t.otherNode(), "Guest");
        guest.expectError(msg("join").put("room", room), "bad_password");
        guest.expectError(msg("join").put("room", room).put("password", "wrong 1"), "bad_password");
        JsonObject ok = guest.request(msg("join").put("room", room).put("password", "correct horse"));
        assertEquals("joined", ok.getString("type"), ok::encode);

        ProtocolClient guesser = client(vertx, t.otherNode(), "Guesser");
        for (int i = 0; i < 3; i++) {
            guesser.expectError(msg("join").put("room", room).put("password", "guess " + i), "bad_password");
        }
        guesser.expectError(msg("join").put("room", room).put("password", "correct horse"), "password_throttled");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void lockedRoomRefusesNewcomersUntilUnlocked(Topology t, Vertx vertx) {
        String room = room("locked");
        ProtocolClient host = client(vertx, t.hostNode(), "Host");
        ProtocolClient member = client(vertx, t.otherNode(), "Member");
        host.join(room);
        member.join(room);
        member.expectError(msg("lock").put("room", room).put("locked", true), "not_host");
        assertEquals(
                "ack",
                host.request(msg("lock").put("room", room).put("locked", true)).getString("type"));
        JsonObject update = member.next(m -> "room-updated".equals(m.getString("type")) && m.getBoolean("locked"));
        assertEquals(host.sessionId, update.getString("host"));

        ProtocolClient late = client(vertx, t.otherNode(), "Late");
        late.expectError(msg("join").put("room", room), "room_locked");
        host.request(msg("lock").put("room", room).put("locked", false));
        late.join(room);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void kickedMemberIsRemovedAndCannotComeBack(Topology t, Vertx vertx) {
        String room = room("kick");
        ProtocolClient host = client(vertx, t.hostNode(), "Host");
        ProtocolClient troll = client(vertx, t.otherNode(), "Troll");
        ProtocolClient witness = client(vertx, t.otherNode(), "Witness");
        host.join(room);
        troll.join(room);
        witness.join(room);
        troll.expectError(msg("kick").put("room", room).put("member", host.sessionId), "not_host");
        assertEquals(
                "ack",
                host.request(msg("kick").put("room", room).put("member", troll.sessionId))
                        .getString("type"));

        JsonObject kicked = troll.nextOfType("kicked");
        assertEquals(room, kicked.getString("room"));
        assertTrue(kicked.getLong("until") > System.currentTimeMillis());
        assertEquals(
                troll.sessionId,
                witness.next(m -> "member-left".equals(m.getString("type"))).getString("memberId"));
        troll.expectError(msg("chat").put("room", room).put("text", "still here?"), "not_in_room");
        JsonObject refusal = troll.expectError(msg("join").put("room", room), "kicked");
        assertEquals(
                kicked.getLong("until"), refusal.getLong("until"), "a refused rejoin says when the ban ends, as data");
        witness.request(msg("chat").put("room", room).put("text", "peace"));
        assertEquals("peace", host.next(m -> "chat".equals(m.getString("type"))).getString("text"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void hostCanHandOverAndHostPassesOnWhenItLeaves(Topology t, Vertx vertx) {
        String room = room("host");
        ProtocolClient first = client(vertx, t.hostNode(), "First");
        ProtocolClient second = client(vertx, t.otherNode(), "Second");
        ProtocolClient third = client(vertx, t.otherNode(), "Third");
        first.join(room);
        second.join(room);
        third.join(room);
        first.request(msg("host").put("room", room).put("member", second.sessionId));
        assertEquals(
                second.sessionId,
                third.next(m -> "room-updated".equals(m.getString("type"))).getString("host"));
        first.expectError(msg("lock").put("room", room).put("locked", true), "not_host");

        second.request(msg("bye"));
        JsonObject passed = third.next(
                m -> "room-updated".equals(m.getString("type")) && !second.sessionId.equals(m.getString("host")));
        assertTrue(List.of(first.sessionId, third.sessionId).contains(passed.getString("host")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void privateRoomNeverAppearsInTheRoomList(Topology t, Vertx vertx) {
        String hidden = room("hidden");
        String visible = room("visible");
        ProtocolClient watcherA = client(vertx, t.hostNode(), "WatchA");
        ProtocolClient watcherB = client(vertx, t.otherNode(), "WatchB");
        watcherA.request(msg("rooms-subscribe"));
        watcherB.request(msg("rooms-subscribe"));
        ProtocolClient owner = client(vertx, t.hostNode(), "Owner");
        JsonObject joined = owner.request(msg("join").put("room", hidden).put("private", true));
        assertTrue(joined.getJsonObject("policy").getBoolean("private"));
        client(vertx, t.otherNode(), "Friend").join(hidden); // joinable by name
        owner.join(visible); // a public room after it: its push proves the private one's would have arrived by now
        for (ProtocolClient watcher : List.of(watcherA, watcherB)) {
            watcher.next(m -> "room-changed".equals(m.getString("type")) && visible.equals(m.getString("room")));
            assertTrue(
                    watcher.seen().stream().noneMatch(m -> m.encode().contains(hidden)),
                    () -> "leaked: " + watcher.seen());
            assertFalse(watcher.request(msg("rooms-subscribe")).encode().contains(hidden));
        }
    }
}
