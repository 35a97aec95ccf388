package app.noom.relay.redis;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.cluster.shards.LocalRedisCluster;
import app.noom.integration.support.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The flush consolidation reaches the socket of the pinned vertx-redis-client (one Redis and every master of a cluster),
 * and commands written in one burst, flushed together, are still answered one by one, in order.
 */
class RedisFlushesTest {
    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void oneRedisConnectionGetsItAndABurstIsAnsweredInOrder() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Redis client = Redis.createClient(vertx, redis.url());
            RedisConnection connection = client.connect().await(10, TimeUnit.SECONDS);
            assertEquals(1, RedisFlushes.consolidate(connection), "the one socket got the handler");
            assertEquals(0, RedisFlushes.consolidate(connection), "installed once only");
            assertBurstInOrder(connection, "burst");
            client.close();
        }
    }

    @Test
    void everyMasterOfAClusterGetsIt() throws Exception {
        try (LocalRedisCluster cluster = LocalRedisCluster.start(3)) {
            RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
            for (String seed : cluster.seeds().split(",", -1)) options.addConnectionString("redis://" + seed);
            Redis client = Redis.createClient(vertx, options);
            RedisConnection connection = client.connect().await(10, TimeUnit.SECONDS);
            assertEquals(3, RedisFlushes.consolidate(connection), "one handler per master");
            assertBurstInOrder(connection, "{burst}");
            client.close();
        }
    }

    /** 2,000 INCRs written from one task (one run of the loop, so flushed together): answered 1..2000 in order. */
    private void assertBurstInOrder(RedisConnection connection, String key) throws Exception {
        CompletableFuture<List<Future<Response>>> sent = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            List<Future<Response>> written = new ArrayList<>();
            for (int i = 0; i < 2_000; i++)
                written.add(connection.send(Request.cmd(Command.INCR).arg(key)));
            sent.complete(written);
        });
        List<Future<Response>> answers = sent.get(10, TimeUnit.SECONDS);
        Future.all(answers).await(10, TimeUnit.SECONDS);
        for (int i = 0; i < answers.size(); i++) {
            assertEquals(i + 1, answers.get(i).result().toInteger(), "answer " + i);
        }
        assertEquals(2_000, answers.size());
    }
}
