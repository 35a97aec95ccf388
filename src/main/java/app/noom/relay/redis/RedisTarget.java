package app.noom.relay.redis;

import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import java.util.List;

/**
 * Where this node's Redis is: one server ({@code REDIS_URL}) or the seed nodes of a Redis Cluster
 * ({@code REDIS_CLUSTER}, {@code host:port} or URLs). In a cluster the Vert.x client connects to every master and
 * routes each command — SSUBSCRIBE and SPUBLISH included — to the master owning its first key's (or channel's) slot.
 */
public record RedisTarget(List<String> urls, boolean cluster) {
    /** How long the client reuses a cluster's slot map before asking again (a reconnect after a failover asks anew). */
    private static final long SLOT_MAP_TTL_MS = 1_000;

    public RedisTarget {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) throw new IllegalArgumentException("no Redis address");
    }

    public static RedisTarget single(String url) {
        return new RedisTarget(List.of(url), false);
    }

    public static RedisTarget cluster(List<String> seeds) {
        return new RedisTarget(
                seeds.stream().map(s -> s.contains("://") ? s : "redis://" + s).toList(), true);
    }

    /** Client options for this target; callers add their own pool and timeout settings. */
    RedisOptions options() {
        RedisOptions options = new RedisOptions();
        if (!cluster) return options.setConnectionString(urls.get(0));
        options.setType(RedisClientType.CLUSTER)
                .setUseReplicas(RedisReplicas.NEVER)
                .setHashSlotCacheTTL(SLOT_MAP_TTL_MS);
        urls.forEach(options::addConnectionString);
        return options;
    }

    /** A URL for one master found in the slot map, with the seeds' scheme and credentials. */
    String urlOf(String host, int port) {
        String seed = urls.get(0);
        int at = seed.indexOf('@');
        String prefix = at >= 0 ? seed.substring(0, at + 1) : seed.substring(0, seed.indexOf("://") + 3);
        return prefix + host + ":" + port;
    }

    @Override
    public String toString() { // never the URLs: they may hold a password
        return cluster ? "Redis Cluster (" + urls.size() + " seeds)" : "Redis";
    }
}
