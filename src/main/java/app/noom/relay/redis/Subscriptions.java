package app.noom.relay.redis;

import app.noom.metrics.NoomMetrics;
import app.noom.relay.RelayUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels this node listens to, on its subscriber connection; used only on the connector's context. A
 * subscription counts as made when Redis's own confirmation ({@code subscribe} / {@code ssubscribe} push) arrives —
 * behind every message published on a channel of ours before Redis took it. (The Vert.x client completes a pub/sub
 * command's future as soon as it is written, which says nothing about when Redis will deliver to us.)
 */
final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
    static final long CONFIRM_TIMEOUT_MS = 10_000;
    /**
     * Twice the client's slot-map lifetime ({@link RedisTarget}): it has asked the cluster again by then. A wait, not an
     * explicit refresh: vertx-redis-client 5.2.3 has none in its API (its {@code SharedSlots.invalidate()} is
     * package-private, called only on a MOVED answer to a command with a waiting future, which a pub/sub command is not;
     * {@code RedisCluster} offers only onAllNodes/onAllMasterNodes/groupByNodes). Sending at once instead would go to the
     * old owner and draw a MOVED that no future waits for.
     */
    static final long RESUBSCRIBE_DELAY_MS = 2_000;

    private final Vertx vertx;
    private final Context context;
    private final NoomMetrics metrics;
    private final Supplier<RedisConnection> subscriber;
    private final Runnable lost;
    private final ShardGaps gaps;
    private final java.util.function.Predicate<String> shardUp;
    /** Channels wanted, each with its subscription's confirmation. */
    private final Map<String, Future<Void>> channels = new HashMap<>();
    /** Subscriptions written but not yet confirmed, per channel, oldest first (Redis confirms each in order). */
    private final Map<String, ArrayDeque<Promise<Void>>> unconfirmed = new HashMap<>();
    /** SUNSUBSCRIBEs of ours not yet confirmed, per channel. */
    private final Map<String, Integer> ownUnsubscribes = new HashMap<>();

    Subscriptions(
            Vertx vertx,
            Context context,
            NoomMetrics metrics,
            Supplier<RedisConnection> subscriber,
            Runnable lost,
            ShardGaps gaps,
            java.util.function.Predicate<String> shardUp) {
        this.gaps = gaps;
        this.shardUp = shardUp;
        this.vertx = vertx;
        this.context = context;
        this.metrics = metrics;
        this.subscriber = subscriber;
        this.lost = lost;
    }

    /** Confirmed subscription; while Redis is down ({@code healthy} false) at once: it is made on reconnect. */
    Future<Void> subscribe(String channel, boolean healthy) {
        Future<Void> current = channels.get(channel);
        if (current != null && !current.failed()) return current;
        Future<Void> subscribed = healthy ? confirmed(channel) : Future.succeededFuture();
        channels.put(channel, subscribed);
        return subscribed;
    }

    Future<Void> unsubscribe(String channel, boolean healthy) {
        if (channels.remove(channel) == null) return Future.succeededFuture();
        gaps.notWanted(channel);
        if (!healthy) return Future.succeededFuture();
        return unsubscribing(channel);
    }

    /** A subscription of a channel nobody publishes on, confirmed, then dropped: a barrier on that channel's shard. */
    Future<Void> barrier(String channel) {
        return confirmed(channel).andThen(done -> {
            if (!channels.containsKey(channel)) unsubscribing(channel);
        });
    }

    /**
     * A fresh connection: every wanted channel again (pub/sub is not allowed in a batch; one SSUBSCRIBE per slot), each
     * counting as made once Redis confirms it, as a first subscription does.
     */
    Future<Void> resubscribeAll() {
        connectionLost(); // confirmations awaited on a connection that never came up will not come
        List<Future<Response>> sent = new ArrayList<>();
        Request classic = Request.cmd(Command.SUBSCRIBE);
        boolean anyClassic = false;
        for (Map.Entry<String, Future<Void>> wanted : channels.entrySet()) {
            String channel = wanted.getKey();
            Promise<Void> confirmed = awaitConfirmation(channel);
            wanted.setValue(confirmed.future());
            if (RedisKeys.isSharded(channel)) {
                sent.add(send(channel, confirmed));
            } else {
                classic.arg(channel);
                anyClassic = true;
            }
        }
        if (anyClassic) sent.add(subscriber.get().send(classic));
        return Future.all(sent).mapEmpty();
    }

    /**
     * The connection is gone: every subscription still waiting for its confirmation fails, and every wanted channel has
     * a gap from now until it is confirmed again.
     */
    void connectionLost() {
        channels.keySet().forEach(channel -> gaps.opened(channel, true));
        unconfirmed
                .values()
                .forEach(waiting -> waiting.forEach(p -> p.tryFail(
                        new RelayUnavailableException("redis connection lost before the subscription was confirmed"))));
        unconfirmed.clear();
        ownUnsubscribes.clear();
    }

    /** A {@code subscribe} / {@code ssubscribe} push. */
    void confirmedBy(String channel) {
        ArrayDeque<Promise<Void>> waiting = unconfirmed.get(channel);
        if (waiting == null) return;
        Promise<Void> oldest = waiting.poll();
        if (waiting.isEmpty()) unconfirmed.remove(channel);
        if (oldest != null) oldest.tryComplete();
        Future<Void> current = channels.get(channel);
        if (current != null && current.succeeded()) gaps.closed(channel);
    }

    /**
     * A {@code sunsubscribe} push: ours being confirmed, or Redis Cluster telling that the channel's slot moved (a
     * migration, a failover) — then the channel is subscribed again, routed by the slot map as it is now, and counted.
     * What was published on it between the move and the new subscription did not reach this node.
     */
    void unsubscribedBy(String channel) {
        Integer own = ownUnsubscribes.get(channel);
        if (own != null) {
            if (own > 1) ownUnsubscribes.put(channel, own - 1);
            else ownUnsubscribes.remove(channel);
            return;
        }
        if (!channels.containsKey(channel)) return;
        LOG.warn("Redis moved the slot of a subscribed channel; subscribing it again");
        metrics.redisResubscribed();
        gaps.opened(channel, false);
        // joins meanwhile wait for this one; it is sent once the client's slot map has caught up with the move (sent at
        // once it would still go to the old owner, whose MOVED answer no future hears)
        Promise<Void> again = awaitConfirmation(channel);
        channels.put(channel, again.future());
        long deadline = System.nanoTime() + CONFIRM_TIMEOUT_MS * 1_000_000;
        vertx.setTimer(RESUBSCRIBE_DELAY_MS, t -> context.runOnContext(v -> resubscribe(channel, again, deadline)));
    }

    /**
     * Sends the SSUBSCRIBE of a moved channel, and again every {@link #RESUBSCRIBE_DELAY_MS} until Redis confirms it: the
     * other nodes of the cluster learn of a slot's new owner by gossip, so the slot map the client re-reads may still
     * name the old owner for a while, which refuses (MOVED, an answer no future hears). Only when the deadline passes
     * unconfirmed does the node reconnect (which re-subscribes every channel, a gap for all its rooms).
     */
    private void resubscribe(String channel, Promise<Void> again, long deadline) {
        if (again.future().isComplete()) return;
        if (channels.get(channel) != again.future()) { // unsubscribed meanwhile
            forget(channel, again);
            again.tryComplete();
            return;
        }
        if (System.nanoTime() - deadline > 0) {
            LOG.warn("Redis did not confirm a subscription within {} ms; reconnecting", CONFIRM_TIMEOUT_MS);
            forget(channel, again);
            again.tryFail(new RelayUnavailableException("redis did not confirm the subscription"));
            lost.run();
            return;
        }
        subscriber.get().send(subscribing(channel)).onFailure(e -> {
            forget(channel, again);
            again.tryFail(new RelayUnavailableException("redis: " + e.getMessage()));
        });
        vertx.setTimer(RESUBSCRIBE_DELAY_MS, t -> context.runOnContext(v -> resubscribe(channel, again, deadline)));
    }

    private Future<Void> unsubscribing(String channel) {
        if (!RedisKeys.isSharded(channel)) {
            return subscriber
                    .get()
                    .send(Request.cmd(Command.UNSUBSCRIBE).arg(channel))
                    .mapEmpty();
        }
        ownUnsubscribes.merge(channel, 1, Integer::sum);
        return subscriber
                .get()
                .send(Request.cmd(Command.SUNSUBSCRIBE).arg(channel))
                .mapEmpty();
    }

    private Future<Void> confirmed(String channel) {
        Promise<Void> confirmed = awaitConfirmation(channel);
        send(channel, confirmed);
        return confirmed.future();
    }

    /** A promise the channel's next confirmation completes (Redis confirms each subscription in order). */
    private Promise<Void> awaitConfirmation(String channel) {
        Promise<Void> confirmed = Promise.promise();
        unconfirmed.computeIfAbsent(channel, c -> new ArrayDeque<>()).add(confirmed);
        return confirmed;
    }

    private void forget(String channel, Promise<Void> confirmation) {
        ArrayDeque<Promise<Void>> waiting = unconfirmed.get(channel);
        if (waiting != null && waiting.remove(confirmation) && waiting.isEmpty()) unconfirmed.remove(channel);
    }

    private Future<Response> send(String channel, Promise<Void> confirmed) {
        Future<Response> sent = subscriber.get().send(subscribing(channel)).onFailure(e -> {
            forget(channel, confirmed);
            confirmed.tryFail(new RelayUnavailableException("redis: " + e.getMessage()));
        });
        // a refused SSUBSCRIBE (MOVED: the slot map changed) is answered with an error no future waits for, so the
        // confirmation never comes: start over with a fresh slot map rather than wait for ever
        vertx.setTimer(
                CONFIRM_TIMEOUT_MS,
                t -> context.runOnContext(v -> {
                    if (confirmed.future().isComplete()) return;
                    forget(channel, confirmed);
                    confirmed.tryFail(new RelayUnavailableException("redis did not confirm the subscription"));
                    // a master known to be down is that one shard's trouble: a reconnection could not reach it either
                    if (!shardUp.test(channel)) return;
                    LOG.warn("Redis did not confirm a subscription within {} ms; reconnecting", CONFIRM_TIMEOUT_MS);
                    lost.run();
                }));
        return sent;
    }

    private static Request subscribing(String channel) {
        return Request.cmd(RedisKeys.isSharded(channel) ? Command.SSUBSCRIBE : Command.SUBSCRIBE)
                .arg(channel);
    }
}
