package app.noom.cluster;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RedisServer;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis goes away and comes back: readiness follows it, local rooms keep working, cross-node sends fail loudly with
 * {@code relay_unavailable}, and afterwards relays and presence come back by themselves.
 */
@ExtendWith(VertxExtension.class)
class RedisOutageTest {

    @Test
    void nodesSurviveRedisRestartAndRecoverByThemselves(Vertx vertx) throws Exception {
        try (RedisServer redis = RedisServer.start();
                NoomNode nodeA = node(redis, "outage-a");
                NoomNode nodeB = node(redis, "outage-b")) {
            HttpClient http = vertx.createHttpClient();
            String shared = "shared-" + System.nanoTime();
            String local = "local-" + System.nanoTime();
            ProtocolClient a1 = client(vertx, nodeA, "a1");
            ProtocolClient a2 = client(vertx, nodeA, "a2");
            ProtocolClient a3 = client(vertx, nodeA, "a3");
            ProtocolClient b1 = client(vertx, nodeB, "b1");
            a1.join(shared);
            b1.join(shared);
            a1.nextOfType("member-joined");
            a2.join(local);
            a3.join(local);
            assertEquals(200, readiness(http, nodeA));

            redis.kill();
            awaitTrue(
                    () -> readiness(http, nodeA) == 503 && readiness(http, nodeB) == 503, "both nodes turn not-ready");

            assertEquals(
                    "ack",
                    a2.request(msg("chat").put("room", local).put("text", "all local"))
                            .getString("type"));
            assertEquals("all local", a3.nextOfType("chat").getString("text"));
            a1.expectError(msg("chat").put("room", shared).put("text", "lost?"), "relay_unavailable");
            a1.expectError(
                    msg("signal")
                            .put("room", shared)
                            .put("to", b1.sessionId)
                            .put("kind", "offer")
                            .put("payload", new JsonObject()),
                    "relay_unavailable");

            redis.launch();
            awaitTrue(() -> readiness(http, nodeA) == 200 && readiness(http, nodeB) == 200, "both nodes ready again");
            assertEquals(
                    "ack",
                    a1.request(msg("chat").put("room", shared).put("text", "back"))
                            .getString("type"));
            assertEquals(
                    "back",
                    b1.next(m -> "chat".equals(m.getString("type")) && "back".equals(m.getString("text")))
                            .getString("text"));
            b1.request(msg("signal")
                    .put("room", shared)
                    .put("to", a1.sessionId)
                    .put("kind", "offer")
                    .put("payload", new JsonObject().put("sdp", "x")));
            assertEquals(b1.sessionId, a1.nextOfType("signal").getString("from"));
            awaitTrue(
                    () -> countOn(b1, shared) == 2 && countOn(b1, local) == 2,
                    "presence republished into the new Redis");
            for (ProtocolClient c : List.of(a1, a2, a3, b1)) c.close();
        }
    }

    /**
     * A room locked on one node, its host passed on to a member of the other: Redis restarts empty, and the node that
     * republishes the room publishes it as it was — locked, with its current host — not as it was when its member joined.
     */
    @Test
    void aRoomLockedOnAnotherNodeIsRepublishedLockedAfterRedisComesBackEmpty(Vertx vertx) throws Exception {
        try (RedisServer redis = RedisServer.start();
                NoomNode nodeA = node(redis, "lock-a");
                NoomNode nodeB = node(redis, "lock-b")) {
            String room = "locked-" + System.nanoTime();
            ProtocolClient host = client(vertx, nodeB, "host");
            host.join(room);
            ProtocolClient member = client(vertx, nodeA, "member");
            member.join(room);
            host.nextOfType("member-joined");
            assertEquals(
                    "ack",
                    host.request(msg("lock").put("room", room).put("locked", true))
                            .getString("type"));
            member.next(m -> "room-updated".equals(m.getString("type")) && m.getBoolean("locked"));
            assertEquals("ack", host.request(msg("bye")).getString("type"));
            member.next(
                    m -> "room-updated".equals(m.getString("type")) && member.sessionId.equals(m.getString("host")));

            HttpClient http = vertx.createHttpClient();
            redis.kill();
            awaitTrue(() -> readiness(http, nodeA) == 503, "node A turns not-ready");
            redis.launch();
            awaitTrue(() -> readiness(http, nodeA) == 200 && readiness(http, nodeB) == 200, "both nodes ready again");
            awaitTrue(() -> countOn(member, room) == 1, "the room republished into the new Redis");

            ProtocolClient newcomer = client(vertx, nodeB, "newcomer");
            newcomer.expectError(msg("join").put("room", room), "room_locked");
            assertEquals(
                    "ack",
                    member.request(msg("lock").put("room", room).put("locked", false))
                            .getString("type"),
                    "the member it was handed to is still the host");
            assertEquals(
                    "joined", newcomer.request(msg("join").put("room", room)).getString("type"));
            for (ProtocolClient c : List.of(member, newcomer)) c.close();
        }
    }

    private static NoomNode node(RedisServer redis, String id) {
        return NoomNode.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", id));
    }

    private static ProtocolClient client(Vertx vertx, NoomNode node, String nickname) {
        ProtocolClient client = Transport.WEBSOCKET.connect(vertx, node.port());
        client.hello(nickname);
        return client;
    }

    private static int countOn(ProtocolClient client, String room) {
        JsonObject rooms = client.request(msg("rooms-subscribe"));
        if (!"rooms".equals(rooms.getString("type"))) return -1;
        return rooms.getJsonArray("rooms").stream()
                .map(JsonObject.class::cast)
                .filter(r -> room.equals(r.getString("name")))
                .mapToInt(r -> r.getInteger("count"))
                .findFirst()
                .orElse(0);
    }

    static int readiness(HttpClient http, NoomNode node) {
        try {
            return http.request(HttpMethod.GET, node.port(), "127.0.0.1", "/ready")
                    .compose(req -> req.send())
                    .map(resp -> resp.statusCode())
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting until " + what);
            try {
                Thread.sleep(50); // polling interval of a poll-with-deadline, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
