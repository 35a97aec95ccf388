package app.noom.relay.redis;

import app.noom.metrics.NoomMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which masters of a Redis Cluster answer, so that a dead shard takes out its rooms and not the node. Every tick each
 * master of the slot map (re-read every few ticks) gets a PING on a connection of its own, answered within
 * {@link #ANSWER_MS} or counted as missed; {@link #MISSES_DOWN} misses in a row mark it down, one answer up again. A
 * master that is stopped (or cut off) without a failover keeps its TCP connections open and simply never answers:
 * without this, a join into one of its rooms waited for ever and {@code /ready} said nothing. Shards are named
 * {@code host:port} as the cluster announces them — never a URL, which may hold a password.
 */
final class ShardHealth {
    private static final Logger LOG = LoggerFactory.getLogger(ShardHealth.class);
    static final long TICK_MS = 1_000;
    static final long ANSWER_MS = 1_000;
    static final int MISSES_DOWN = 3;
    private static final int SLOT_MAP_EVERY_TICKS = 3;

    private final Vertx vertx;
    private final RedisTarget target;
    private final Function<Request, Future<Response>> anyMaster;
    private final NoomMetrics metrics;
    /** Slot-range start → [end, shard]: the slot map last read. */
    private volatile TreeMap<Integer, Object[]> ranges = new TreeMap<>();

    private final Map<String, Shard> shards = new ConcurrentHashMap<>();
    private long timer = -1;
    private int ticks;

    /** {@code anyMaster} sends a keyless command on the node's cluster connection (for CLUSTER SLOTS). */
    ShardHealth(Vertx vertx, RedisTarget target, Function<Request, Future<Response>> anyMaster, NoomMetrics metrics) {
        this.vertx = vertx;
        this.target = target;
        this.anyMaster = anyMaster;
        this.metrics = metrics;
    }

    void start() {
        if (timer < 0) timer = vertx.setPeriodic(0, TICK_MS, id -> tick());
    }

    void stop() {
        if (timer >= 0) vertx.cancelTimer(timer);
        shards.values().forEach(s -> s.client.close());
    }

    /** Whether the master owning {@code key}'s (or shard channel's) slot is believed up (unknown counts as up). */
    boolean up(String key) {
        Map.Entry<Integer, Object[]> range = ranges.floorEntry(HashSlot.of(key));
        if (range == null || HashSlot.of(key) > (Integer) range.getValue()[0]) return true;
        Shard shard = shards.get((String) range.getValue()[1]);
        return shard == null || shard.up;
    }

    /** Whether every known master is down (false while none is known). */
    boolean allDown() {
        return !shards.isEmpty() && shards.values().stream().noneMatch(s -> s.up);
    }

    /** The shards down, each as {@code host:port slots a-b,c}. */
    List<String> down() {
        List<String> down = new ArrayList<>();
        shards.forEach((name, shard) -> {
            if (shard.up) return;
            StringBuilder slots = new StringBuilder();
            ranges.forEach((start, range) -> {
                if (!name.equals(range[1])) return;
                if (slots.length() > 0) slots.append(',');
                slots.append(start);
                if (!start.equals(range[0])) slots.append('-').append(range[0]);
            });
            down.add(name + " slots " + slots);
        });
        down.sort(null);
        return down;
    }

    private void tick() {
        if (ticks++ % SLOT_MAP_EVERY_TICKS == 0) refresh();
        shards.values().forEach(this::ping);
    }

    /**
     * Reads the slot map now: after a reconnection (a failover gave a dead master's slots to its replica) the node's
     * first writes — republishing its members — must not be refused for a shard that is no longer the owner.
     */
    Future<Void> refresh() {
        return readSlotMap().otherwiseEmpty();
    }

    private Future<Void> readSlotMap() {
        return anyMaster
                .apply(Request.cmd(Command.CLUSTER).arg("SLOTS"))
                .timeout(ANSWER_MS, TimeUnit.MILLISECONDS)
                .map(reply -> {
                    slotMap(reply);
                    return (Void) null;
                }); // no answer: keep the map we have, ask again later
    }

    private void slotMap(Response reply) {
        TreeMap<Integer, Object[]> map = new TreeMap<>();
        for (Response range : reply) {
            Response master = range.get(2);
            String name = master.get(0).toString() + ":" + master.get(1).toInteger();
            map.put(range.get(0).toInteger(), new Object[] {range.get(1).toInteger(), name});
            shards.computeIfAbsent(
                    name,
                    n -> newShard(n, master.get(0).toString(), master.get(1).toInteger()));
        }
        ranges = map;
        // a master that owns no slot any more (replaced by its replica, emptied by a resharding) is no shard of ours
        shards.keySet().removeIf(name -> {
            if (map.values().stream().anyMatch(range -> name.equals(range[1]))) return false;
            shards.get(name).client.close();
            metrics.redisShardGone(name);
            return true;
        });
    }

    private Shard newShard(String name, String host, int port) {
        Shard shard =
                new Shard(Redis.createClient(vertx, new RedisOptions().setConnectionString(target.urlOf(host, port))));
        metrics.redisShard(name, () -> shard.up ? 1 : 0);
        return shard;
    }

    private void ping(Shard shard) {
        if (shard.pinging) {
            missed(shard);
            return;
        }
        shard.pinging = true;
        shard.client
                .send(Request.cmd(Command.PING))
                .timeout(ANSWER_MS, TimeUnit.MILLISECONDS)
                .onComplete(answer -> {
                    shard.pinging = false;
                    if (answer.succeeded()) answered(shard);
                    else missed(shard);
                });
    }

    private void answered(Shard shard) {
        shard.misses = 0;
        if (!shard.up) LOG.info("a Redis Cluster master answers again");
        shard.up = true;
    }

    private void missed(Shard shard) {
        if (++shard.misses < MISSES_DOWN || !shard.up) return;
        shard.up = false;
        LOG.warn("a Redis Cluster master stopped answering: its rooms are unavailable ({})", String.join("; ", down()));
    }

    /** One master: its own connection for PINGs and what they said; touched on the node's Redis context only. */
    private static final class Shard {
        final Redis client;
        volatile boolean up = true;
        int misses;
        boolean pinging;

        Shard(Redis client) {
            this.client = client;
        }
    }
}
