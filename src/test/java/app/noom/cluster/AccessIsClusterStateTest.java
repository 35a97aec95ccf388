package app.noom.cluster;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.BlinkingProxy;
import app.noom.integration.support.NodeProcess;
import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RedisServer;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 10, items 3, 4 and 6 (I5, I6): join-token grants, kicks and bans are cluster state — they hold across a resume
 * on another node, a node's death and a new session — and a message refused during a Redis outage reaches nobody.
 */
@ExtendWith(VertxExtension.class)
class AccessIsClusterStateTest {
    private static final String SECRET = "a-test-only-hs256-secret-of-48-bytes-0123456789";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static Map<String, String> env(RedisServer redis, String nodeId, boolean tokens) {
        Map<String, String> env = new HashMap<>(Map.of(
                "REDIS_URL",
                redis.url(),
                "NODE_ID",
                nodeId,
                "RATE_CHAT_PER_SECOND",
                "0",
                "RATE_SIGNALS_PER_SECOND",
                "0"));
        if (tokens) env.putAll(Map.of("AUTH_JWT_ALGORITHM", "HS256", "AUTH_JWT_SECRET", SECRET));
        return env;
    }

    static String token(JsonObject claims) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        claims.put("iat", now).put("exp", now + 600);
        String input = part(new JsonObject().put("alg", "HS256").put("typ", "JWT")) + "." + part(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String part(JsonObject json) {
        return B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject hello(ProtocolClient client, String nickname, String token) {
        JsonObject welcome = client.request(
                msg("hello").put("version", 1).put("nickname", nickname).put("token", token));
        assertEquals("welcome", welcome.getString("type"), welcome::encode);
        client.sessionId = welcome.getString("sessionId");
        return welcome;
    }

    private static JsonObject resume(ProtocolClient client, String nickname, String token, ProtocolClient old) {
        long lastSeq = old.seen().get(old.seen().size() - 1).getLong("seq");
        return client.request(msg("hello")
                .put("version", 1)
                .put("nickname", nickname)
                .put("resume", new JsonObject().put("token", token).put("lastSeq", lastSeq)));
    }

    /** Item 3: a token limited to one room stays limited after its session resumes on another node. */
    @Test
    void roomLimitedTokenStillLimitsAfterAResumeOnAnotherNode(Vertx vertx) throws Exception {
        try (RedisServer redis = RedisServer.start();
                NoomNode nodeA = NoomNode.start(env(redis, "grant-a", true));
                NoomNode nodeB = NoomNode.start(env(redis, "grant-b", true));
                BlinkingProxy toA = BlinkingProxy.to(vertx, nodeA.port())) {
            ProtocolClient ada = Transport.WEBSOCKET.connect(vertx, toA.port());
            String resumeToken = hello(
                            ada, "Ada", token(new JsonObject().put("sub", "ada").put("room", "only-x")))
                    .getString("resumeToken");
            ada.expectError(msg("join").put("room", "forbidden-y"), "room_not_allowed");
            toA.cutAll(); // a dropped TCP connection, no close frame
            ada.awaitClosed();
            ProtocolClient back = Transport.WEBSOCKET.connect(vertx, nodeB.port());
            JsonObject welcome = resume(back, "Ada", resumeToken, ada);
            assertTrue(welcome.getBoolean("resumed"), welcome::encode);
            back.expectError(msg("join").put("room", "forbidden-y"), "room_not_allowed");
            back.join("only-x");
            back.close();
        }
    }

    /** Item 4a: the victim's node is dead; the kick still removes it everywhere and it cannot come back through a resume. */
    @Test
    void kickHoldsWhenTheVictimsNodeIsDead(Vertx vertx) throws Exception {
        String room = "dead-victim-" + System.nanoTime();
        try (RedisServer redis = RedisServer.start();
                NoomNode nodeA = NoomNode.start(env(redis, "kick-a", false));
                NodeProcess nodeB = NodeProcess.start(env(redis, "kick-b", false))) {
            ProtocolClient host = Transport.WEBSOCKET.connect(vertx, nodeA.port());
            ProtocolClient witness = Transport.WEBSOCKET.connect(vertx, nodeA.port());
            ProtocolClient victim = Transport.WEBSOCKET.connect(vertx, nodeB.port());
            host.hello("Host");
            witness.hello("Witness");
            String resumeToken = victim.hello("Victim").getString("resumeToken");
            host.join(room);
            witness.join(room);
            victim.join(room);
            witness.next(m -> "member-joined".equals(m.getString("type"))
                    && victim.sessionId.equals(m.getJsonObject("member").getString("id")));
            host.next(m -> "member-joined".equals(m.getString("type"))
                    && victim.sessionId.equals(m.getJsonObject("member").getString("id")));

            nodeB.kill();
            victim.awaitClosed();
            assertEquals(
                    "ack",
                    host.request(msg("kick").put("room", room).put("member", victim.sessionId))
                            .getString("type"));
            assertEquals(victim.sessionId, witness.nextOfType("member-left").getString("memberId"));
            ProtocolClient newcomer = Transport.WEBSOCKET.connect(vertx, nodeA.port());
            newcomer.hello("Newcomer");
            assertEquals(
                    List.of(host.sessionId, witness.sessionId).stream().sorted().toList(),
                    newcomer.join(room).getJsonArray("members").stream()
                            .map(m -> ((JsonObject) m).getString("id"))
                            .sorted()
                            .toList(),
                    "presence no longer lists the victim");

            ProtocolClient back = Transport.WEBSOCKET.connect(vertx, nodeA.port());
            JsonObject welcome = resume(back, "Victim", resumeToken, victim);
            assertTrue(welcome.getBoolean("resumed"), welcome::encode);
            assertTrue(
                    back.seen().stream().anyMatch(m -> "kicked".equals(m.getString("type"))), () -> "" + back.seen());
            back.expectError(msg("chat").put("room", room).put("text", "still here?"), "not_in_room");
            back.expectError(msg("join").put("room", room), "kicked");
            assertEquals(
                    "unknown_member",
                    host.request(msg("kick").put("room", room).put("member", victim.sessionId))
                            .getString("code"));
            for (ProtocolClient c : List.of(host, witness, newcomer, back)) c.close();
        }
    }

    /**
     * Items 4c and 4d: a victim flooding chats from another node is cut off at its member-left for everyone, and a
     * new session of the same person (same token subject) is refused while the ban lasts.
     */
    @Test
    void kickedMembersMessagesStopAtItsMemberLeftAndTheBanOutlivesItsSession(Vertx vertx) throws Exception {
        String room = "flood-" + System.nanoTime();
        try (RedisServer redis = RedisServer.start();
                NoomNode nodeA = NoomNode.start(env(redis, "flood-a", true));
                NoomNode nodeB = NoomNode.start(env(redis, "flood-b", true))) {
            ProtocolClient host = Transport.WEBSOCKET.connect(vertx, nodeA.port());
            ProtocolClient witness = Transport.WEBSOCKET.connect(vertx, nodeA.port());
            ProtocolClient victim = Transport.WEBSOCKET.connect(vertx, nodeB.port());
            hello(host, "Host", token(new JsonObject().put("sub", "host")));
            hello(witness, "Witness", token(new JsonObject().put("sub", "witness")));
            String victimToken = token(new JsonObject().put("sub", "victim"));
            hello(victim, "Victim", victimToken);
            host.join(room);
            witness.join(room);
            victim.join(room);
            host.next(m -> "member-joined".equals(m.getString("type"))
                    && victim.sessionId.equals(m.getJsonObject("member").getString("id")));
            Thread flood = new Thread(() -> {
                for (int i = 0; i < 2_000 && !victim.closedByServer(); i++) {
                    victim.send(msg("chat").put("room", room).put("text", "flood " + i));
                }
            });
            flood.start();
            witness.next(m -> "chat".equals(m.getString("type")) && victim.sessionId.equals(m.getString("from")));
            host.request(msg("kick").put("room", room).put("member", victim.sessionId));
            flood.join(60_000);
            victim.nextOfType("kicked");
            ProtocolClient probe =
                    Transport.WEBSOCKET.connect(vertx, nodeA.port()); // a round trip through the room after
            hello(probe, "Probe", token(new JsonObject().put("sub", "probe")));
            probe.join(room);
            witness.next(m -> "member-joined".equals(m.getString("type"))
                    && probe.sessionId.equals(m.getJsonObject("member").getString("id")));
            List<JsonObject> seen = witness.seen();
            int left = indexOf(
                    seen,
                    m -> "member-left".equals(m.getString("type")) && victim.sessionId.equals(m.getString("memberId")));
            assertTrue(left >= 0, "the witness saw the victim leave");
            assertTrue(
                    seen.subList(left, seen.size()).stream()
                            .noneMatch(m ->
                                    "chat".equals(m.getString("type")) && victim.sessionId.equals(m.getString("from"))),
                    "no chat of the victim after its member-left");

            ProtocolClient again = Transport.WEBSOCKET.connect(vertx, nodeB.port()); // a new session, same person
            hello(again, "Victim", victimToken);
            again.expectError(msg("join").put("room", room), "kicked");
            for (ProtocolClient c : List.of(host, witness, victim, probe, again)) c.close();
        }
    }

    /** Item 6 (I6): during a Redis outage a chat that must cross nodes is refused and reaches nobody, locals included. */
    @Test
    void chatRefusedDuringARedisOutageReachesNobody(Vertx vertx) throws Exception {
        String room = "outage-" + System.nanoTime();
        try (RedisServer redis = RedisServer.start();
                NoomNode nodeA = NoomNode.start(env(redis, "outage-a", false));
                NoomNode nodeB = NoomNode.start(env(redis, "outage-b", false))) {
            ProtocolClient sender = Transport.WEBSOCKET.connect(vertx, nodeA.port());
            ProtocolClient local = Transport.WEBSOCKET.connect(vertx, nodeA.port());
            ProtocolClient remote = Transport.WEBSOCKET.connect(vertx, nodeB.port());
            sender.hello("Sender");
            local.hello("Local");
            remote.hello("Remote");
            sender.join(room);
            local.join(room);
            remote.join(room);
            sender.next(m -> "member-joined".equals(m.getString("type"))
                    && remote.sessionId.equals(m.getJsonObject("member").getString("id")));
            redis.kill();
            // once node A knows Redis is gone (not-ready), nothing it relays can have reached Redis: relay_unavailable
            io.vertx.core.http.HttpClient http = vertx.createHttpClient();
            RedisOutageTest.awaitTrue(() -> RedisOutageTest.readiness(http, nodeA) == 503, "node A turns not-ready");
            JsonObject answer = sender.request(msg("chat").put("room", room).put("text", "refused"));
            assertEquals("error", answer.getString("type"), answer::encode);
            assertEquals("relay_unavailable", answer.getString("code"), answer::encode);
            JsonObject pong =
                    local.request(msg("ping")); // everything sent to local before this pong is in its transcript
            assertEquals("pong", pong.getString("type"));
            for (ProtocolClient c : List.of(sender, local)) {
                assertTrue(
                        c.seen().stream().noneMatch(m -> "refused".equals(m.getString("text"))),
                        () -> "delivered: " + c.seen());
            }
            for (ProtocolClient c : List.of(sender, local, remote)) c.close();
        }
    }

    private static int indexOf(List<JsonObject> frames, java.util.function.Predicate<JsonObject> filter) {
        for (int i = 0; i < frames.size(); i++) if (filter.test(frames.get(i))) return i;
        return -1;
    }
}
