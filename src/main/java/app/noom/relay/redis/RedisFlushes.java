package app.noom.relay.redis;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.redis.client.RedisConnection;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One flush per event-loop run on the command connection, as {@code WebSocketChannel} does for clients: the relay sends
 * one command per signal, and vertx-redis-client flushes every command on its own, a system call each (docs/BENCHMARKS.md,
 * "What each lever gained"). Netty's {@link FlushConsolidationHandler} at the head of the socket's pipeline folds the
 * flushes of one run into one. Bytes and their order on the socket are unchanged; only when they leave is.
 *
 * <p>vertx-redis-client 5.2 has no hook for its socket's pipeline, so the socket is reached through the connection's
 * fields ({@code PooledRedisConnection.connection}, {@code RedisStandaloneConnection.netSocket}, and
 * {@code RedisClusterConnection.connections} for every master). A client version without them loses only the speed-up:
 * that is logged once, and {@code RedisFlushesTest} fails on the pinned version so an upgrade is noticed.
 */
final class RedisFlushes {
    private static final Logger LOG = LoggerFactory.getLogger(RedisFlushes.class);
    static final String HANDLER = "noom-flush-consolidation";
    private static final int FLUSHES_BEFORE_FORCED_FLUSH = 256;
    private static volatile boolean warned;

    private RedisFlushes() {}

    /** Installs the consolidation on every socket behind {@code connection}; returns how many sockets got it. */
    static int consolidate(RedisConnection connection) {
        try {
            int installed = 0;
            for (NetSocketInternal socket : sockets(connection)) {
                ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
                if (pipeline.get(HANDLER) == null) {
                    pipeline.addFirst(HANDLER, new FlushConsolidationHandler(FLUSHES_BEFORE_FORCED_FLUSH, true));
                    installed++;
                }
            }
            return installed;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn(
                        "Redis commands are flushed one by one (this client version hides its socket: {})",
                        e.toString());
            }
            return 0;
        }
    }

    private static List<NetSocketInternal> sockets(Object connection) throws ReflectiveOperationException {
        List<NetSocketInternal> found = new ArrayList<>();
        String kind = connection.getClass().getSimpleName();
        switch (kind) {
            case "PooledRedisConnection" -> found.addAll(sockets(field(connection, "connection")));
            case "RedisStandaloneConnection" -> found.add((NetSocketInternal) field(connection, "netSocket"));
            case "RedisClusterConnection" -> {
                for (Object master : ((Map<?, ?>) field(connection, "connections")).values()) {
                    found.addAll(sockets(master));
                }
            }
            default -> throw new NoSuchFieldException("no known socket in " + kind);
        }
        return found;
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }
}
