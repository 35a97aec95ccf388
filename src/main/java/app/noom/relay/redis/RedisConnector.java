package app.noom.relay.redis;

import app.noom.metrics.NoomMetrics;
import app.noom.relay.RelayUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's two Redis connections, owned by one context: a command connection (all PUBLISHes go through it, so Redis
 * sees one ordered publisher per node) and a subscriber connection. The Vert.x client does not reconnect by itself:
 * on loss this class backs off with jitter, reconnects, re-issues every subscription and tells its listener.
 */
final class RedisConnector {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);
    private static final long MAX_BACKOFF_MS = 2_000;
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private final Vertx vertx;
    private final Context context;
    private final Redis client;
    private final Subscriptions subscriptions;
    private final BiConsumer<String, String> onMessage;
    private final Runnable onReconnected;
    private final NoomMetrics metrics;
    private RedisConnection commands;
    private RedisConnection subscriber;
    private volatile boolean healthy;
    private boolean closed;
    private long backoffMs = 50;
    private final RedisProbe probe;

    private final RedisTarget target;
    /** Redis Cluster only: which masters answer (null for one Redis). */
    private final ShardHealth shards;
    /**
     * Redis Cluster only: a command to a master that stopped answering without closing its connections (stopped,
     * cut off) would wait for ever; it fails after this, "maybe delivered", instead.
     */
    static final long CLUSTER_COMMAND_TIMEOUT_MS = 5_000;

    RedisConnector(
            Vertx vertx,
            Context context,
            RedisTarget target,
            BiConsumer<String, String> onMessage,
            Runnable onReconnected,
            java.util.function.BiConsumer<String, Boolean> onRoomRegained,
            NoomMetrics metrics) {
        this.vertx = vertx;
        this.context = context;
        this.target = target;
        RedisOptions options = target.options().setMaxWaitingHandlers(65_536);
        // an attempt made during a partition (SYNs dropped) must not hold up the reconnects after it for a minute
        options.getNetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS);
        this.client = Redis.createClient(vertx, options);
        this.onMessage = onMessage;
        this.onReconnected = onReconnected;
        this.metrics = metrics;
        this.probe = new RedisProbe(vertx);
        this.shards = target.cluster() ? new ShardHealth(vertx, target, this::send, metrics) : null;
        this.subscriptions = new Subscriptions(
                vertx, context, metrics, () -> subscriber, this::lost, new ShardGaps(onRoomRegained), this::shardUp);
    }

    boolean healthy() {
        return healthy;
    }

    /** First connection. If Redis is not up yet the node still starts, not ready, and keeps trying in the background. */
    Future<Void> start() {
        return onContext(() -> connect().recover(e -> {
            LOG.warn("Redis not reachable at start-up ({}); retrying", e.getMessage());
            scheduleReconnect();
            return Future.succeededFuture();
        }));
    }

    /**
     * Fails with {@link RelayUnavailableException}: not sent when Redis is known to be down, "maybe delivered" when the
     * command was written and its answer was lost.
     */
    Future<Response> send(Request request) {
        return onContext(() -> {
            if (!healthy) return Future.failedFuture(new RelayUnavailableException("redis unavailable"));
            return bounded(commands.send(request))
                    .recover(e -> Future.failedFuture(new RelayUnavailableException("redis: " + e.getMessage(), true)));
        });
    }

    /** Runs a script by its SHA (see {@link ScriptCalls}); fails like {@link #send}. */
    Future<Response> eval(LuaScripts.Script script, List<String> keys, List<String> args) {
        return onContext(() -> {
            if (!healthy) return Future.failedFuture(new RelayUnavailableException("redis unavailable"));
            if (!keys.isEmpty() && !shardUp(keys.get(0))) return shardDown();
            return bounded(ScriptCalls.call(commands, script, keys, args, () -> {
                        metrics.redisFailure("noscript");
                        LOG.warn("Redis had lost script {} (SCRIPT FLUSH?); sending it whole", script.name());
                    }))
                    .recover(e -> Future.failedFuture(
                            e instanceof RelayUnavailableException
                                    ? e
                                    : new RelayUnavailableException("redis: " + e.getMessage(), true)));
        });
    }

    private long publishSerial; // only on this context

    /** Whether the master of {@code key}'s (or shard channel's) slot is believed to answer (always, on one Redis). */
    boolean shardUp(String key) {
        return shards == null || shards.up(key);
    }

    /** The shards down ({@code host:port slots …}); empty on one Redis. */
    java.util.List<String> shardsDown() {
        return shards == null ? java.util.List.of() : shards.down();
    }

    /** Whether every master of the cluster is down. */
    boolean allShardsDown() {
        return shards != null && shards.allDown();
    }

    private static <T> Future<T> shardDown() {
        return Future.failedFuture(new RelayUnavailableException("the redis shard of this room is down"));
    }

    private <T> Future<T> bounded(Future<T> command) {
        return shards == null
                ? command
                : command.timeout(CLUSTER_COMMAND_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The next serial of this node's cluster messages (see {@link ClusterPayload}); call on this context only. */
    long nextSerial() {
        return ++publishSerial;
    }

    /** Runs {@code action} on the connections' own context (where subscription state lives); answers on the caller's. */
    <T> Future<T> run(java.util.function.Supplier<Future<T>> action) {
        return onContext(action);
    }

    /** Continues {@code future} on the caller's context, whichever thread completes it. */
    static <T> Future<T> backOnCaller(Future<T> future) {
        Context caller = Vertx.currentContext();
        if (caller == null) return future;
        Promise<T> promise = Promise.promise();
        future.onComplete(result -> {
            if (Vertx.currentContext() == caller) promise.handle(result);
            else caller.runOnContext(x -> promise.handle(result));
        });
        return promise.future();
    }

    /**
     * PUBLISH (SPUBLISH on a sharded channel), answering how many subscribers received it (0: nobody listens on that
     * channel right now).
     */
    Future<Integer> publishCounted(String channel, String payload) {
        long started = System.nanoTime();
        return send(publishing(channel, payload)).map(receivers -> {
            metrics.redisPublished(System.nanoTime() - started);
            return receivers.toInteger();
        });
    }

    Future<Void> publish(String channel, String payload) {
        long started = System.nanoTime();
        return send(publishing(channel, payload))
                .onSuccess(r -> metrics.redisPublished(System.nanoTime() - started))
                .mapEmpty();
    }

    private static Request publishing(String channel, String payload) {
        return Request.cmd(RedisKeys.isSharded(channel) ? Command.SPUBLISH : Command.PUBLISH)
                .arg(channel)
                .arg(payload);
    }

    /**
     * Completes once every message Redis published on {@code room}'s shard, before this call reached it, on a channel
     * this node listens to has come in and been handed on: an SSUBSCRIBE's confirmation travels on the subscriber
     * connection behind them. The channel is the room's barrier channel, in the room's slot and used for nothing else.
     */
    Future<Void> subscriberBarrier(String room) {
        return onContext(() -> healthy ? subscriptions.barrier(RedisKeys.roomBarrier(room)) : Future.succeededFuture());
    }

    /**
     * Completes when Redis has confirmed the subscription: from then on every message published on {@code channel}
     * reaches this node. (While Redis is down it completes at once; the channel is subscribed on reconnect.)
     */
    Future<Void> subscribe(String channel) {
        return onContext(() -> healthy && !shardUp(channel) ? shardDown() : subscriptions.subscribe(channel, healthy));
    }

    Future<Void> unsubscribe(String channel) {
        return onContext(() -> subscriptions.unsubscribe(channel, healthy));
    }

    Future<Void> close() {
        return onContext(() -> {
            closed = true;
            healthy = false;
            probe.stop();
            if (shards != null) shards.stop();
            return client.close();
        });
    }

    private Future<Void> connect() {
        return client.connect()
                .compose(cmd -> client.connect().map(sub -> {
                    commands = cmd;
                    RedisFlushes.consolidate(cmd);
                    subscriber = sub;
                    return (Void) null;
                }))
                .compose(v -> ScriptCalls.loadAll(vertx, target, commands))
                .compose(v -> {
                    commands.exceptionHandler(e -> lost()).endHandler(v2 -> lost());
                    subscriber
                            .handler(this::onPush)
                            .exceptionHandler(e -> lost())
                            .endHandler(v2 -> lost());
                    return subscriptions.resubscribeAll();
                })
                .onSuccess(v -> {
                    healthy = true;
                    backoffMs = 50;
                    if (shards != null) shards.start(); // once; it keeps watching across reconnections
                    probe.watch(java.util.List.of(commands, subscriber), () -> {
                        LOG.warn("Redis did not answer a PING within {} s (a partition?)", RedisProbe.SILENT_TICKS);
                        lost();
                    });
                })
                .mapEmpty();
    }

    private void onPush(Response push) {
        probe.heard(1); // the subscriber connection, second in probe.watch
        // RESP3 push or RESP2 array: ["message", channel, payload]
        if (push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI) return;
        if (push.size() != 3) return;
        String kind = push.get(0).toString();
        if ("message".equals(kind) || "smessage".equals(kind)) {
            onMessage.accept(push.get(1).toString(), push.get(2).toString());
        } else if ("subscribe".equals(kind) || "ssubscribe".equals(kind)) {
            subscriptions.confirmedBy(push.get(1).toString());
        } else if ("sunsubscribe".equals(kind) && healthy) {
            subscriptions.unsubscribedBy(push.get(1).toString());
        }
    }

    private void lost() {
        if (!healthy || closed) return;
        healthy = false;
        probe.stop();
        LOG.warn("Redis connection lost; reconnecting");
        subscriptions.connectionLost();
        if (commands != null) commands.close();
        if (subscriber != null) subscriber.close();
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed) return;
        long delay = backoffMs / 2 + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1); // jitter: no herd
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        vertx.setTimer(
                delay,
                id -> context.runOnContext(v -> {
                    metrics.redisReconnectAttempt();
                    connect()
                            .compose(ok -> shards == null ? Future.succeededFuture() : shards.refresh())
                            .onSuccess(ok -> {
                                LOG.info("Redis connection restored");
                                onReconnected.run();
                            })
                            .onFailure(e -> scheduleReconnect());
                }));
    }

    /**
     * Runs {@code action} on the connections' context and completes the answer back on the caller's context: a session's
     * continuation after a Redis reply must run on the session's own event loop, never on this one (two threads writing
     * one session's outbox is how frames lost their order).
     */
    private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
        Context caller = Vertx.currentContext();
        if (caller == context) return action.get();
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(result -> {
            if (caller == null) promise.handle(result);
            else caller.runOnContext(x -> promise.handle(result));
        }));
        return promise.future();
    }
}
