package app.noom.http;

import app.noom.metrics.NoomMetrics;
import app.noom.net.AddressKey;
import app.noom.protocol.ErrorCode;
import app.noom.session.ClientChannel;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Who may open a connection, node-wide (one instance shared by every HTTP verticle / event loop):
 * <ul>
 *   <li>{@code ALLOWED_ORIGINS}: a browser page from another origin may not open {@code /signal} nor use any SockJS
 *       transport (cross-site WebSocket hijacking). Vert.x's SockJS origin option only covers its WebSocket
 *       transports, so every SockJS request is checked here, and a {@link CorsHandler} with the exact list answers
 *       preflights. Requests without {@code Origin} (non-browser clients) pass: the check protects browsers' users.
 *   <li>{@code MAX_CONNECTIONS_PER_IP}: open connections per client address (IPv6 per /64), counted across event
 *       loops and released when the connection closes. The client address is the TCP peer, or for a request from
 *       one of {@code TRUSTED_PROXIES} the address that proxy forwarded.
 * </ul>
 * Refusals are counted as {@code noom_refused_total{reason}}, reason being the error code.
 */
public final class AdmissionGuard {
    /** SockJS close code for a connection over the per-address limit (a WebSocket is refused with HTTP 429 instead). */
    public static final int TOO_MANY_CONNECTIONS_CLOSE = 4029;

    private static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private static final String SEC_WEBSOCKET_ORIGIN = "Sec-WebSocket-Origin";
    private static final String TOO_MANY_CONNECTIONS_MESSAGE = "too many connections from your address";

    private final Set<String> allowedOrigins; // empty: any origin
    private final int maxPerAddress; // 0: no limit
    private final NoomMetrics metrics;
    private final TrustedProxies proxies;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    public AdmissionGuard(
            List<String> allowedOrigins, int maxConnectionsPerAddress, TrustedProxies proxies, NoomMetrics metrics) {
        this.proxies = proxies;
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.maxPerAddress = maxConnectionsPerAddress;
        this.metrics = metrics;
    }

    // ---- origins ----

    public boolean originAllowed(String origin) {
        return origin == null || allowedOrigins.isEmpty() || allowedOrigins.contains(origin);
    }

    /** True if the request may go on; otherwise it was answered 403 {@code origin_not_allowed}. */
    public boolean checkOrigin(HttpServerRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        // hybi drafts 7/8 (Sec-WebSocket-Version 7 or 8, still accepted by the decoder) name the page's origin here
        // instead
        if (origin == null) origin = request.getHeader(SEC_WEBSOCKET_ORIGIN);
        if (originAllowed(origin)) return true;
        refuse(request.response(), 403, ErrorCode.ORIGIN_NOT_ALLOWED, "origin not allowed");
        return false;
    }

    /** Runs before every SockJS route: the explicit origin check, then CORS headers / preflights for allowed origins. */
    public void protectSockJs(Router router, String path) {
        if (allowedOrigins.isEmpty()) return; // as before: SockJS answers CORS itself, for any origin
        Handler<RoutingContext> check = ctx -> {
            if (checkOrigin(ctx.request())) ctx.next();
        };
        router.route(path).handler(check);
        router.route(path)
                .handler(CorsHandler.create()
                        .addOrigins(List.copyOf(allowedOrigins))
                        .allowCredentials(true)
                        .allowedHeader("Content-Type"));
    }

    // ---- connections per address ----

    /** One open connection counted against its address; {@link #release()} is idempotent. */
    public final class Slot {
        private final String key;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String key) {
            this.key = key;
        }

        public void release() {
            if (released.compareAndSet(false, true) && key != null) {
                open.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    /** A slot for a new connection from client {@code host}, or empty when the address is at its limit. */
    public Optional<Slot> admit(String host) {
        if (maxPerAddress <= 0) return Optional.of(new Slot(null));
        String key = AddressKey.of(host);
        boolean[] admitted = {false};
        open.compute(key, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerAddress) return n;
            admitted[0] = true;
            return count + 1;
        });
        return admitted[0] ? Optional.of(new Slot(key)) : Optional.empty();
    }

    /** Connections currently counted for client {@code host} (for tests and diagnostics). */
    public int openFrom(String host) {
        return open.getOrDefault(AddressKey.of(host), 0);
    }

    /** The client's address: the TCP peer, or what a trusted proxy forwarded (see {@link TrustedProxies}). */
    public String clientHost(HttpServerRequest request) {
        return proxies.clientHost(request.remoteAddress(), request.getHeader(X_FORWARDED_FOR));
    }

    /** The same for a SockJS session: the headers and peer of the request that opened it. */
    public String clientHost(SockJSSocket socket) {
        return proxies.clientHost(
                socket.remoteAddress(),
                socket.headers() == null ? null : socket.headers().get(X_FORWARDED_FOR));
    }

    public TrustedProxies proxies() {
        return proxies;
    }

    /** Wraps what a transport adapter feeds so that the slot is given back when the connection ends. */
    public static Function<ClientChannel, ClientChannel.Listener> releasing(
            Slot slot, Function<ClientChannel, ClientChannel.Listener> sessions) {
        return channel -> {
            ClientChannel.Listener inner = sessions.apply(channel);
            return new ClientChannel.Listener() {
                @Override
                public void onText(String frame) {
                    inner.onText(frame);
                }

                @Override
                public void onBinary() {
                    inner.onBinary();
                }

                @Override
                public void onClosed(boolean deliberate) {
                    slot.release();
                    inner.onClosed(deliberate);
                }
            };
        };
    }

    // ---- answers ----

    /** An HTTP refusal with the same {@code error} shape the protocol uses, so clients can tell the reason. */
    void refuse(HttpServerResponse response, int status, ErrorCode code, String message) {
        if (response.ended() || response.closed()) return;
        metrics.refused(code.wire());
        JsonResponses.write(
                response,
                status,
                new JsonObject().put("type", "error").put("code", code.wire()).put("message", message));
    }

    /** A WebSocket upgrade over the per-address limit: HTTP 429 before the upgrade. */
    public void refuseUpgrade(HttpServerRequest request) {
        refuse(request.response(), 429, ErrorCode.TOO_MANY_CONNECTIONS, TOO_MANY_CONNECTIONS_MESSAGE);
    }

    /**
     * A SockJS session over the per-address limit (SockJS opens sessions in its own handler, after HTTP): its first and
     * only frame is the {@code error}, then it is closed with {@link #TOO_MANY_CONNECTIONS_CLOSE}.
     */
    public void refuseSockJs(SockJSSocket socket) {
        metrics.refused(ErrorCode.TOO_MANY_CONNECTIONS.wire());
        socket.write(new JsonObject()
                        .put("type", "error")
                        .put("seq", 1)
                        .put("code", ErrorCode.TOO_MANY_CONNECTIONS.wire())
                        .put("message", TOO_MANY_CONNECTIONS_MESSAGE)
                        .encode())
                .onComplete(written -> socket.close(TOO_MANY_CONNECTIONS_CLOSE, "too many connections"));
    }
}
