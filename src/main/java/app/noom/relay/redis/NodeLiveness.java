package app.noom.relay.redis;

import static app.noom.relay.redis.RedisKeys.*;

import app.noom.fanout.Envelope;
import app.noom.metrics.NoomMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node visibly alive (a key with a TTL, rewritten every beat) and removes the members of nodes whose key
 * lapsed, announcing {@code member-left} for each, so a dead node's ghosts are gone within TTL + one beat.
 * Also reconciles this node's own entries after Redis returns.
 */
final class NodeLiveness {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLiveness.class);
    private final NoomMetrics metrics;
    /** How long a sweep is remembered for the swept node's return (a partition healed later re-adds its members). */
    static final long SWEPT_MEMORY_MS = 3_600_000;

    static final long BEAT_MS = 2_000;
    static final long ALIVE_TTL_MS = 5_000;

    private final Vertx vertx;
    private final String nodeId;
    private final RedisConnector redis;
    private final RedisPresence presence;
    private final RedisRelay relay;
    private final StrayMembers strays;
    private long timer = -1;
    /** This node's figures for the admin view, written with every beat; empty until someone provides them. */
    private volatile Supplier<Map<String, String>> stats = Map::of;

    NodeLiveness(
            Vertx vertx,
            String nodeId,
            RedisConnector redis,
            RedisPresence presence,
            RedisRelay relay,
            NoomMetrics metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.redis = redis;
        this.presence = presence;
        this.relay = relay;
        this.strays =
                new StrayMembers(nodeId, redis, presence, (room, member) -> removeAndAnnounce(nodeId, room, member));
    }

    void reportStats(Supplier<Map<String, String>> source) {
        this.stats = source;
    }

    void start() {
        beat();
        timer = vertx.setPeriodic(BEAT_MS, id -> {
            beat();
            sweepDeadNodes();
            strays.check();
        });
    }

    void stop() {
        if (timer >= 0) vertx.cancelTimer(timer);
    }

    /**
     * Redis is back: drop entries for members that left meanwhile, then put back everyone still here — unless another
     * node swept this one meanwhile (a partition longer than the liveness bound): its rooms heard those members leave,
     * so they are told they were removed (as a frozen node's members are when it wakes) instead of being re-added
     * behind the others' backs. After a Redis restart nothing says "swept", and everyone is put back.
     */
    Future<Void> recover() {
        sweepAfter = System.nanoTime() + ALIVE_TTL_MS * 1_000_000;
        return beat().compose(v -> redis.send(Request.cmd(Command.SMEMBERS).arg(nodeMembers(nodeId))))
                .compose(entries -> removeEntries(nodeId, entries, entry -> !presence.hostsLocally(entry[0], entry[1])))
                .compose(v -> redis.send(Request.cmd(Command.DEL).arg(RedisKeys.nodeSwept(nodeId))))
                .compose(swept ->
                        swept.toInteger() == 1 ? presence.evictAbsent(this::toldSwept) : Future.succeededFuture())
                .compose(v -> presence.republish());
    }

    private void toldSwept(String room, String memberId) {
        LOG.atWarn()
                .addKeyValue(app.noom.logging.LogFields.SESSION, memberId)
                .log("this node was swept while cut off from Redis; the member is out of room {}", room);
        relay.toLocalMembers(room, Envelope.memberSwept(room, memberId));
    }

    private Future<Void> beat() {
        if (!redis.healthy()) return Future.succeededFuture();
        return redis.send(Request.cmd(Command.SET)
                        .arg(nodeAlive(nodeId))
                        .arg(1)
                        .arg("PX")
                        .arg(ALIVE_TTL_MS))
                .compose(ok -> redis.send(Request.cmd(Command.SADD).arg(NODES).arg(nodeId)))
                .compose(ok -> writeStats())
                .<Void>mapEmpty()
                .recover(e -> {
                    // the next beat tries again; missing beats for the liveness TTL gets this node swept, so say it
                    // loudly
                    metrics.redisFailure("heartbeat");
                    LOG.warn("heartbeat not written to Redis: {}", e.getMessage());
                    return Future.succeededFuture();
                });
    }

    private Future<?> writeStats() {
        Map<String, String> figures = stats.get();
        if (figures.isEmpty()) return Future.succeededFuture();
        Request hset = Request.cmd(Command.HSET).arg(nodeStats(nodeId));
        figures.forEach((field, value) -> hset.arg(field).arg(value));
        return redis.send(hset)
                .compose(ok -> redis.send(
                        Request.cmd(Command.PEXPIRE).arg(nodeStats(nodeId)).arg(3 * ALIVE_TTL_MS)));
    }

    /**
     * Not before this (nanoTime): after an outage of Redis (or of a Redis Cluster master) every node was cut off alike
     * and none could beat; the first to come back must give the others one liveness period to beat before it takes
     * them for dead and sweeps their members.
     */
    private volatile long sweepAfter = System.nanoTime();

    private void sweepDeadNodes() {
        if (!redis.healthy() || System.nanoTime() - sweepAfter < 0) return;
        redis.send(Request.cmd(Command.SMEMBERS).arg(NODES)).onSuccess(nodes -> {
            for (Response node : nodes) {
                String other = node.toString();
                if (!other.equals(nodeId)) sweepIfDead(other);
            }
        });
    }

    private void sweepIfDead(String other) {
        redis.send(Request.cmd(Command.EXISTS).arg(nodeAlive(other)))
                .compose(alive -> alive.toInteger() == 1 ? Future.succeededFuture(false) : claimSweep(other))
                .compose(claimed -> claimed ? sweep(other) : Future.succeededFuture())
                .onFailure(e -> LOG.warn("sweep of a dead node failed: {}", e.getMessage()));
    }

    private Future<Boolean> claimSweep(String other) {
        return redis.send(Request.cmd(Command.SET)
                        .arg(sweepLock(other))
                        .arg(nodeId)
                        .arg("NX")
                        .arg("PX")
                        .arg(10_000))
                .map(response -> response != null);
    }

    private Future<Void> sweep(String deadNode) {
        LOG.info("node {} stopped heartbeating; removing its members", deadNode);
        return redis.send(Request.cmd(Command.SMEMBERS).arg(nodeMembers(deadNode)))
                .compose(entries -> removeEntries(deadNode, entries, entry -> true))
                .compose(v -> forgetResumes(deadNode))
                .compose(v -> redis.send(Request.cmd(Command.SET)
                        .arg(RedisKeys.nodeSwept(deadNode))
                        .arg(1)
                        .arg("PX")
                        .arg(SWEPT_MEMORY_MS)))
                .compose(v -> redis.send(Request.cmd(Command.SREM).arg(NODES).arg(deadNode)))
                .mapEmpty();
    }

    /** A dead node's sessions cannot be handed over: drop their resume records. */
    private Future<Void> forgetResumes(String deadNode) {
        String set = RedisSessionDirectory.nodeResumes(deadNode);
        return redis.send(Request.cmd(Command.SMEMBERS).arg(set))
                .compose(digests -> {
                    List<Future<Response>> deletions =
                            new ArrayList<>(); // one key per DEL: each record is in a slot of its own
                    for (Response digest : digests) {
                        deletions.add(redis.send(
                                Request.cmd(Command.DEL).arg(RedisSessionDirectory.resumeKey(digest.toString()))));
                    }
                    return Future.all(deletions)
                            .compose(v -> redis.send(Request.cmd(Command.DEL).arg(set)));
                })
                .mapEmpty();
    }

    private Future<Void> removeEntries(String host, Response entries, java.util.function.Predicate<String[]> which) {
        List<Future<?>> removals = new ArrayList<>();
        for (Response raw : entries) {
            String[] entry = raw.toString().split("\0", 2);
            if (entry.length == 2 && which.test(entry)) removals.add(removeAndAnnounce(host, entry[0], entry[1]));
        }
        return Future.all(removals).mapEmpty();
    }

    /** Removes and announces the member; remembers the room for its session, should it be rebuilt elsewhere. */
    private Future<Void> removeAndAnnounce(String host, String room, String memberId) {
        return presence.removeMember(host, room, memberId)
                .compose(count -> count < 0
                        ? Future.succeededFuture()
                        : redis.eval(
                                        LuaScripts.REMEMBER_SWEPT,
                                        List.of(RedisKeys.memberSwept(memberId)),
                                        List.of(room, String.valueOf(SWEPT_MEMORY_MS)))
                                .compose(v -> relay.toRoom(room, Envelope.memberSwept(room, memberId))));
    }
}
