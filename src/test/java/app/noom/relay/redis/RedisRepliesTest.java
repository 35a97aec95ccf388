package app.noom.relay.redis;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One hash, read from a real Redis over RESP2 (flat list) and RESP3 (map): the helper gives the same fields. */
class RedisRepliesTest {
    private static RedisServer server;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        server = RedisServer.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await();
        server.close();
    }

    @ParameterizedTest
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"RESP2", "RESP3"})
    void aHashReadsTheSameOverBothProtocols(ProtocolVersion protocol) throws Exception {
        Redis client = Redis.createClient(
                vertx, new RedisOptions().setConnectionString(server.url()).setPreferredProtocolVersion(protocol));
        String key = "replies-" + protocol;
        send(
                client,
                Request.cmd(Command.HSET)
                        .arg(key)
                        .arg("host")
                        .arg("m-1")
                        .arg("locked")
                        .arg("1")
                        .arg("empty")
                        .arg(""));

        Map<String, String> expected = Map.of("host", "m-1", "locked", "1", "empty", "");
        assertEquals(
                expected,
                RedisReplies.hash(send(client, Request.cmd(Command.HGETALL).arg(key))));
        // a script's answer is always a flat list (join.lua returns the policy so)
        Response flat = send(
                client,
                Request.cmd(Command.EVAL)
                        .arg("return redis.call('HGETALL', KEYS[1])")
                        .arg(1)
                        .arg(key));
        assertEquals(6, flat.size());
        assertEquals(expected, RedisReplies.hash(flat));
        assertEquals(
                Map.of(),
                RedisReplies.hash(send(client, Request.cmd(Command.HGETALL).arg("no-such-key"))));
        assertEquals(Map.of(), RedisReplies.hash(null));
        client.close();
    }

    private static Response send(Redis client, Request request) throws Exception {
        return client.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
