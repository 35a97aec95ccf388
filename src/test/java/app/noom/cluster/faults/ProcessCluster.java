package app.noom.cluster.faults;

import app.noom.integration.support.NodeProcess;
import app.noom.integration.support.RedisServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cluster as local processes, for machines without a Docker engine: a {@code redis-server} process and two node
 * JVMs ({@link NodeProcess}), each reaching Redis through its own {@link RedisLink} so one node alone can be
 * partitioned from Redis while its clients still reach it.
 */
final class ProcessCluster implements FaultyCluster {
    private final Vertx vertx = Vertx.vertx();
    private final RedisServer redis;
    private final RedisLink[] links = new RedisLink[NODES];
    private final NodeProcess[] nodes = new NodeProcess[NODES];

    ProcessCluster(String name) {
        redis = RedisServer.start();
        try {
            int redisPort = Integer.parseInt(redis.url().substring(redis.url().lastIndexOf(':') + 1));
            for (int i = 0; i < NODES; i++) {
                links[i] = new RedisLink(vertx, redisPort);
                nodes[i] = NodeProcess.start(Map.of(
                        "REDIS_URL",
                        "redis://127.0.0.1:" + links[i].port(),
                        "NODE_ID",
                        name + "-" + i,
                        "STUN_URLS",
                        ""));
            }
        } catch (Exception | AssertionError e) {
            close();
            throw new AssertionError("process cluster did not start", e);
        }
    }

    @Override
    public String describe() {
        return "local processes (redis-server, two node JVMs)";
    }

    @Override
    public int port(int node) {
        return nodes[node].port();
    }

    @Override
    public void sigkill(int node) {
        nodes[node].kill(); // destroyForcibly: SIGKILL
    }

    @Override
    public void freeze(int node) {
        signal(nodes[node], "-STOP");
    }

    @Override
    public void thaw(int node) {
        signal(nodes[node], "-CONT");
    }

    @Override
    public void cutFromRedis(int node) {
        links[node].cut();
    }

    @Override
    public void reconnectToRedis(int node) {
        links[node].heal();
    }

    @Override
    public void stopRedis() {
        redis.kill();
    }

    @Override
    public void startRedis() {
        redis.launch();
    }

    @Override
    public String logs(int node) {
        List<String> lines = nodes[node].output();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() {
        for (int i = 0; i < NODES; i++) {
            if (nodes[i] != null) nodes[i].kill(); // SIGKILL ends a stopped process too
            if (links[i] != null) links[i].close();
        }
        redis.close();
        vertx.close()
                .toCompletionStage()
                .toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    private static void signal(NodeProcess node, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, String.valueOf(node.pid()))
                    .inheritIO()
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill " + signal + " " + node.pid() + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
