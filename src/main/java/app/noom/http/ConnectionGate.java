package app.noom.http;

import app.noom.metrics.NoomMetrics;
import app.noom.net.AddressKey;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accept-time defences, node-wide (one instance shared by every event loop), before any request is read:
 * <ul>
 *   <li>a TCP connection cap per peer address (IPv6: per /64) — our own proxies ({@code TRUSTED_PROXIES}) carry
 *       everyone and are exempt; their clients are counted by {@link AdmissionGuard} at the upgrade instead;
 *   <li>a request deadline: a connection that has not completed a request head within {@code requestTimeoutMillis}
 *       (silent sockets, slowloris) is dropped;
 *   <li>a node-wide bound on such not-yet-requesting connections, so that whatever number of addresses an attacker
 *       has, descriptors stay free for established sessions, {@code /health} and new honest clients.
 * </ul>
 * Refusals count as {@code noom_refused_total{reason="too_many_connections"|"request_timeout"}}.
 */
public final class ConnectionGate {
    private static final AttributeKey<RequestDeadline> WAITING = AttributeKey.valueOf("noom.waitingForRequest");

    /** Set while the connection waits for its first request head; its timer is cancelled as soon as one arrives. */
    private static final class RequestDeadline extends AtomicBoolean {
        private final Vertx vertx;
        private long timer = -1;

        RequestDeadline(Vertx vertx) {
            super(true);
            this.vertx = vertx;
        }

        void cancelTimer() {
            if (timer >= 0) vertx.cancelTimer(timer);
        }
    }

    private final int maxPerAddress; // 0: no cap
    private final int maxWaiting;
    private final long requestTimeoutMillis;
    private final TrustedProxies proxies;
    private final NoomMetrics metrics;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();

    public ConnectionGate(
            int maxPerAddress, int maxWaiting, long requestTimeoutMillis, TrustedProxies proxies, NoomMetrics metrics) {
        this.maxPerAddress = maxPerAddress;
        this.maxWaiting = maxWaiting;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.proxies = proxies;
        this.metrics = metrics;
    }

    /** TCP connections per address allowed when sessions per address are {@code maxSessions}: room for page loads too. */
    public static int tcpCapFor(int maxSessions) {
        return maxSessions <= 0 ? 0 : maxSessions * 2 + 16;
    }

    /** On accept, on the connection's event loop: admits it (and arms its request deadline) or drops it at once. */
    public void accepted(Vertx vertx, HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base)) return; // not a TCP HTTP/1 connection: nothing to guard
        Channel channel = base.channel();
        String host = TrustedProxies.peerHost(connection.remoteAddress());
        String key = proxies.trusts(host) ? null : AddressKey.of(host);
        if (key != null && maxPerAddress > 0 && !take(key)) {
            drop(channel, "too_many_connections");
            return;
        }
        RequestDeadline waitingForRequest = new RequestDeadline(vertx);
        channel.attr(WAITING).set(waitingForRequest);
        int nowWaiting = waiting.incrementAndGet();
        waitingForRequest.timer = vertx.setTimer(requestTimeoutMillis, id -> {
            if (waitingForRequest.get()) drop(channel, "request_timeout");
        });
        channel.closeFuture().addListener(closed -> {
            waitingForRequest.cancelTimer();
            if (waitingForRequest.compareAndSet(true, false)) waiting.decrementAndGet();
            if (key != null && maxPerAddress > 0) open.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        });
        if (nowWaiting > maxWaiting) drop(channel, "too_many_connections");
    }

    /** A complete request head arrived: the connection is no longer subject to the request deadline. */
    public void requestArrived(HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base)) return;
        RequestDeadline waitingForRequest = base.channel().attr(WAITING).get();
        if (waitingForRequest != null && waitingForRequest.compareAndSet(true, false)) {
            waiting.decrementAndGet();
            // not left armed until it fires: an open WebSocket would hold the timer for the whole request timeout
            waitingForRequest.cancelTimer();
        }
    }

    /** Open TCP connections counted for {@code host} (for tests and diagnostics). */
    public int openFrom(String host) {
        return open.getOrDefault(AddressKey.of(host), 0);
    }

    private boolean take(String key) {
        boolean[] taken = {false};
        open.compute(key, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerAddress) return n;
            taken[0] = true;
            return count + 1;
        });
        return taken[0];
    }

    private void drop(Channel channel, String reason) {
        metrics.refused(reason);
        channel.close();
    }
}
