package app.noom.cluster;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RedisServer;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * I3, a ghost on a live node: a session handed over to another node stops being served by its holder at once, but its
 * presence entry moves only when the claimant runs {@code rehost.lua}. If the claimant dies or drains in between, the
 * entry still names the holder, a live node no sweeper looks at. Here that state is written into Redis directly (a
 * member entry for node A that no session on A backs); node A must remove it and announce {@code member-left}.
 */
@ExtendWith(VertxExtension.class)
class StrayMemberTest {

    @Test
    void anEntryNoSessionOnItsLiveNodeBacksIsRemovedAndAnnounced(Vertx vertx) throws Exception {
        String room = "stray-" + System.nanoTime();
        String ghost = "m-ghostInTransit";
        try (RedisServer redis = RedisServer.start();
                NoomNode nodeA = NoomNode.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "stray-a"))) {
            ProtocolClient watcher = Transport.WEBSOCKET.connect(vertx, nodeA.port());
            watcher.hello("Watcher");
            watcher.join(room);
            String member = new JsonObject()
                    .put("id", ghost)
                    .put("nickname", "Moving")
                    .put(
                            "media",
                            new JsonObject()
                                    .put("audioMuted", false)
                                    .put("videoOff", false)
                                    .put("screen", false))
                    .put("node", "stray-a")
                    .encode();
            Redis client = Redis.createClient(vertx, redis.url());
            send(
                    client,
                    Request.cmd(Command.HSET)
                            .arg("noom:{room:" + room + "}:members")
                            .arg(ghost)
                            .arg(member));
            send(
                    client,
                    Request.cmd(Command.SADD).arg("noom:{node:stray-a}:members").arg(room + "\0" + ghost));

            ProtocolClient late = Transport.WEBSOCKET.connect(vertx, nodeA.port());
            late.hello("Late");
            assertTrue(
                    late.join(room).getJsonArray("members").stream()
                            .anyMatch(m -> ghost.equals(((JsonObject) m).getString("id"))),
                    "the ghost is listed while it lingers");
            JsonObject left = late.next(
                    m -> "member-left".equals(m.getString("type")) && ghost.equals(m.getString("memberId")),
                    Duration.ofSeconds(10));
            assertEquals(room, left.getString("room"));
            assertEquals(
                    0,
                    send(
                                    client,
                                    Request.cmd(Command.HEXISTS)
                                            .arg("noom:{room:" + room + "}:members")
                                            .arg(ghost))
                            .toInteger(),
                    "removed from the room");
            watcher.close();
            late.close();
            client.close();
        }
    }

    private static Response send(Redis client, Request request) throws Exception {
        return client.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
