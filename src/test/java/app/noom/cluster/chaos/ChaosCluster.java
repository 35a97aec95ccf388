package app.noom.cluster.chaos;

import app.noom.cluster.shards.LocalRedisCluster;
import app.noom.integration.support.NodeProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One real Redis and three Noom nodes in their own JVMs, started once and shared by many seeds. Faults break a node
 * or Redis; {@link #heal} puts everything back (a fresh JVM for a dead node, SIGCONT for a paused one) before the
 * next seed. Nodes get a new id per incarnation so a restarted node is never mistaken for its dead predecessor.
 */
final class ChaosCluster implements AutoCloseable {
    enum Status {
        UP,
        DOWN,
        PAUSED
    }

    static final int NODES = 3;
    static final String JWT_SECRET = "chaos-checker-secret-0123456789abcdef"; // test-only HS256 key, 32+ bytes

    private final ChaosRedis redis;
    /** TOPOLOGY=redis-cluster: a Redis Cluster (3 masters, 3 replicas) instead of one Redis; then redis is null. */
    private final LocalRedisCluster shards;

    private final NodeProcess[] nodes = new NodeProcess[NODES];
    private final Status[] status = new Status[NODES];
    private final int[] incarnation = new int[NODES];
    private boolean redisDown;

    private ChaosCluster(ChaosRedis redis, LocalRedisCluster shards) {
        this.redis = redis;
        this.shards = shards;
    }

    static ChaosCluster start() {
        ChaosCluster cluster =
                onRedisCluster() ? new ChaosCluster(null, startShards()) : new ChaosCluster(ChaosRedis.start(), null);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "chaos-cluster-cleanup")); // no orphan JVMs
        try {
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                int node = i;
                starts.add(CompletableFuture.runAsync(() -> cluster.launch(node)));
            }
            starts.forEach(CompletableFuture::join);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts node {@code i}; once more if it did not come up (a loaded machine can take a minute to start a JVM). */
    private void launch(int i) {
        try {
            launchOnce(i);
        } catch (AssertionError first) {
            launchOnce(i);
        }
    }

    private void launchOnce(int i) {
        Map<String, String> env = new HashMap<>();
        if (shards == null) env.put("REDIS_URL", redis.url());
        else env.put("REDIS_CLUSTER", shards.seeds());
        env.put("NODE_ID", "chaos-" + i + "-" + (++incarnation[i]));
        env.put("HTTP_INSTANCES", "2");
        env.put("RATE_SIGNALS_PER_SECOND", "0");
        env.put("RATE_CHAT_PER_SECOND", "0");
        env.put("RATE_JOINS_PER_SECOND", "0");
        env.put("MAX_CONNECTIONS_PER_IP", "0");
        env.put("RESUME_GRACE_SECONDS", "30");
        env.put("KICK_BAN_SECONDS", "600");
        env.put("AUTH_JWT_ALGORITHM", "HS256");
        env.put("AUTH_JWT_SECRET", JWT_SECRET);
        NodeProcess node = NodeProcess.start(env);
        synchronized (this) {
            nodes[i] = node;
            status[i] = Status.UP;
        }
    }

    synchronized int port(int i) {
        return nodes[i].port();
    }

    synchronized String name(int i) {
        return "n" + i + "." + incarnation[i];
    }

    /** Nodes a client may connect to now. */
    synchronized List<Integer> upNodes() {
        List<Integer> up = new ArrayList<>();
        for (int i = 0; i < NODES; i++) if (status[i] == Status.UP) up.add(i);
        return up;
    }

    synchronized Status status(int i) {
        return status[i];
    }

    void kill(int i) {
        NodeProcess node = mark(i, Status.DOWN);
        if (node != null) node.kill();
    }

    /** SIGTERM: the node drains (goaway, close 1012) and exits. */
    void terminate(int i) throws InterruptedException {
        NodeProcess node = mark(i, Status.DOWN);
        if (node != null && !node.terminate(20)) node.kill();
    }

    void pause(int i) {
        NodeProcess node = mark(i, Status.PAUSED);
        if (node != null) signal(node, "-STOP");
    }

    void unpause(int i) {
        NodeProcess node;
        synchronized (this) {
            if (status[i] != Status.PAUSED) return;
            node = nodes[i];
            status[i] = Status.UP;
        }
        signal(node, "-CONT");
    }

    /** Kills Redis (all data gone: no persistence) and starts it again on the same port. */
    void restartRedis() {
        if (shards != null)
            throw new AssertionError("the Redis restart fault is not available with TOPOLOGY=redis-cluster");
        synchronized (this) {
            redisDown = true;
        }
        redis.kill();
        redis.launch();
        synchronized (this) {
            redisDown = false;
        }
    }

    private synchronized NodeProcess mark(int i, Status to) {
        if (status[i] != Status.UP) return null;
        status[i] = to;
        return nodes[i];
    }

    /** Everything back up: paused nodes continued, dead nodes replaced by fresh JVMs (in parallel). */
    void heal() {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Status s = status(i);
            if (s == Status.PAUSED) unpause(i);
            if (s == Status.DOWN) {
                int node = i;
                starts.add(CompletableFuture.runAsync(() -> launch(node)));
            }
        }
        starts.forEach(CompletableFuture::join);
    }

    private static void signal(NodeProcess node, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, String.valueOf(node.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) throw new AssertionError("kill " + signal + " " + node.pid() + " failed");
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        for (int i = 0; i < NODES; i++) {
            if (status[i] == Status.PAUSED) unpause(i);
            if (nodes[i] != null) nodes[i].kill();
        }
        if (redis != null) redis.close();
        if (shards != null) shards.close();
    }

    /** The {@code TOPOLOGY} knob (system property or environment): {@code redis} (default) or {@code redis-cluster}. */
    static boolean onRedisCluster() {
        String topology = System.getProperty("TOPOLOGY", System.getenv().getOrDefault("TOPOLOGY", "redis"));
        if (!topology.equals("redis") && !topology.equals("redis-cluster")) {
            throw new IllegalArgumentException("TOPOLOGY must be redis or redis-cluster, not " + topology);
        }
        return topology.equals("redis-cluster");
    }

    private static LocalRedisCluster startShards() {
        try {
            return LocalRedisCluster.start(3);
        } catch (Exception e) {
            throw new AssertionError("the Redis Cluster did not start", e);
        }
    }
}
