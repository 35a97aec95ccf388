package app.noom.relay.redis;

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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every script is called by its SHA: a node's joins, chats, signals and leaves reach Redis as EVALSHA, never as EVAL
 * (read from Redis's own command statistics). After Redis's script cache is flushed under a running node, the next
 * call is answered NOSCRIPT, sent whole once, works, and is counted in /metrics.
 */
@ExtendWith(VertxExtension.class)
class ScriptsByShaTest {

    @Test
    void scriptsGoBySha1AndSurviveAFlushedScriptCache(Vertx vertx) throws Exception {
        String room = "sha-" + System.nanoTime();
        try (RedisServer redis = RedisServer.start();
                NoomNode node = NoomNode.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "sha-a"))) {
            Redis admin = Redis.createClient(vertx, redis.url());
            send(admin, Request.cmd(Command.CONFIG).arg("RESETSTAT"));
            ProtocolClient ada = Transport.WEBSOCKET.connect(vertx, node.port());
            ProtocolClient bob = Transport.WEBSOCKET.connect(vertx, node.port());
            ada.hello("Ada");
            bob.hello("Bob");
            ada.join(room);
            bob.join(room);
            ada.request(new JsonObject().put("type", "chat").put("room", room).put("text", "hi"));
            assertEquals("hi", bob.nextOfType("chat").getString("text"));
            String stats = send(admin, Request.cmd(Command.INFO).arg("commandstats"));
            assertTrue(calls(stats, "evalsha") >= 3, "joins and the chat ran by SHA: " + stats);
            assertEquals(0, calls(stats, "eval"), "no script was sent whole: " + stats);

            send(admin, Request.cmd(Command.SCRIPT).arg("FLUSH"));
            ada.request(new JsonObject().put("type", "chat").put("room", room).put("text", "after flush"));
            assertEquals("after flush", bob.nextOfType("chat").getString("text"));
            assertEquals(
                    1,
                    calls(send(admin, Request.cmd(Command.INFO).arg("commandstats")), "eval"),
                    "the lost script was sent whole once");
            assertTrue(
                    metrics(node).contains("noom_redis_failures_total{operation=\"noscript\"} 1.0"),
                    "the lost script cache is counted");
            ada.close();
            bob.close();
            admin.close();
        }
    }

    private static long calls(String commandStats, String command) {
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(commandStats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String metrics(NoomNode node) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String send(Redis client, Request request) throws Exception {
        return client.send(request)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .toString();
    }
}
