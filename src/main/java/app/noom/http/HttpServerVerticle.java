package app.noom.http;

import static app.noom.config.EnvNames.*;

import app.noom.config.NoomConfig;
import app.noom.session.SessionServices;
import app.noom.session.SessionSupervisor;
import app.noom.session.transport.SockJSChannel;
import app.noom.session.transport.WebSocketChannel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.Transport;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Routes only: where a connection enters. Deployed once per event loop; all instances share the port. Only upgrades
 * of {@code /signal} are taken before the router (by path, not with a server-wide WebSocket handler, which would
 * swallow SockJS's own WebSocket upgrades too); everything else, SockJS included, goes through the router.
 */
public final class HttpServerVerticle extends VerticleBase {
    /** Frames above this are closed by the transport with 1009; frames above the protocol limit get an error. */
    static final int TRANSPORT_MAX_MESSAGE_BYTES = 262_144;

    static final int WRITE_QUEUE_BYTES = 1_048_576;

    private final NoomConfig.Network network;
    private final int port;
    private final SessionServices services;
    private final NodeStatus status;
    private final AdmissionGuard guard;
    private final ConnectionGate gate;
    private final Consumer<Router> adminRoutes;
    private SessionSupervisor supervisor;
    private HttpServer server;

    /**
     * {@code adminRoutes}: the admin view, or 404s for its paths when it lives on the internal listener
     * ({@link InternalHttpServer}, {@code METRICS_PORT} set; {@code /metrics} is then 404 here too). Added before the
     * static files.
     */
    public HttpServerVerticle(
            NoomConfig.Network network,
            int port,
            SessionServices services,
            NodeStatus status,
            AdmissionGuard guard,
            ConnectionGate gate,
            Consumer<Router> adminRoutes) {
        this.network = network;
        this.adminRoutes = adminRoutes;
        this.port = port;
        this.services = services;
        this.status = status;
        this.guard = guard;
        this.gate = gate;
    }

    @Override
    public Future<?> start() {
        supervisor = new SessionSupervisor(vertx, services);
        supervisor.start();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(network.bindHost())
                .setPort(port)
                // no traffic either way for twice the session idle timeout: an idle kept-alive HTTP connection is
                // closed (an
                // upgraded one is closed by its session first; SockJS streams send heartbeats every 25 s)
                .setIdleTimeout(2 * services.limits().idleTimeoutSeconds())
                // without h2c detection Vert.x creates the connection at accept, not at its first bytes: the gate can
                // then
                // count and time out connections that never send any (browsers never speak h2c)
                .setHttp2ClearTextEnabled(false)
                .setMaxWebSocketFrameSize(TRANSPORT_MAX_MESSAGE_BYTES)
                .setMaxWebSocketMessageSize(TRANSPORT_MAX_MESSAGE_BYTES);
        Router router = router();
        // /signal upgrades are taken before the router: vertx-web wraps the WebSocket it hands out, hiding the
        // connection
        // that WebSocketChannel must be able to drop when a client stops reading
        server = vertx.createHttpServer(options)
                .connectionHandler(connection -> gate.accepted(vertx, connection))
                .requestHandler(request -> {
                    gate.requestArrived(request.connection());
                    if (PATH_SIGNAL.equals(request.path()) && request.canUpgradeToWebSocket())
                        upgradeToWebSocket(request);
                    else router.handle(request);
                });
        return server.listen().onSuccess(s -> status.listeningOn(s.actualPort()));
    }

    @Override
    public Future<?> stop() {
        supervisor.stop();
        return server.close();
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.route().handler(SecurityHeaders::apply); // every answer, SockJS's and the errors' included
        router.get(PATH_HEALTH).handler(ctx -> status.writeHealth(ctx.response()));
        router.get(PATH_READY).handler(ctx -> status.writeReadiness(ctx.response()));
        if (network.metricsPort().isPresent()) {
            router.route(PATH_METRICS).handler(HttpServerVerticle::notFound);
            router.route(PATH_METRICS + "/*").handler(HttpServerVerticle::notFound);
        } else {
            router.get(PATH_METRICS).handler(ctx -> status.writeMetrics(ctx.response()));
        }
        router.get(PATH_ICE_SERVERS)
                .handler(
                        new IceServersEndpoint(
                                services.iceServersForSession(),
                                services.resumes()::liveSessionId,
                                services.tokens(),
                                guard)::handle);
        router.get(PATH_SIGNAL).handler(ctx -> ctx.response().setStatusCode(400).end("WebSocket upgrade expected"));
        guard.protectSockJs(router, PATH_SOCKJS + "/*"); // origin check + CORS before every SockJS transport
        // the iframe transports' pages load sockjs-client from a CDN and run inline script: not served (see sockJs())
        router.routeWithRegex(PATH_SOCKJS + "/iframe[^/]*\\.html").handler(HttpServerVerticle::notFound);
        // SockJS's xhr transports POST their frames; a bounded body handler on POST only keeps upgrades untouched
        router.post(PATH_SOCKJS + "/*").handler(BodyHandler.create(false).setBodyLimit(TRANSPORT_MAX_MESSAGE_BYTES));
        router.route(PATH_SOCKJS + "/*").subRouter(sockJs());
        adminRoutes.accept(router);
        router.route()
                .handler(StaticHandler.create("webroot")
                        .setCachingEnabled(true)
                        .setMaxAgeSeconds(300)
                        .setIndexPage("index.html"));
        return router;
    }

    static void notFound(RoutingContext ctx) {
        ctx.response().setStatusCode(404).end("Not Found");
    }

    private void upgradeToWebSocket(HttpServerRequest request) {
        if (status.draining()) {
            // a client told to go away reconnects at once, often before the load balancer saw /ready turn 503: refusing
            // it
            // here lets the balancer retry another node (HAProxy retry-on 503) instead of resuming on a node about to
            // stop
            request.response().setStatusCode(503).putHeader("Retry-After", "1").end("node draining");
            return;
        }
        if (!guard.checkOrigin(request)) return; // 403 before the upgrade
        String client = guard.clientHost(request);
        Optional<AdmissionGuard.Slot> slot = guard.admit(client);
        if (slot.isEmpty()) {
            guard.refuseUpgrade(request); // 429 before the upgrade
            return;
        }
        request.toWebSocket()
                .onSuccess(ws -> WebSocketChannel.attach(
                        ws,
                        client,
                        WRITE_QUEUE_BYTES,
                        TRANSPORT_MAX_MESSAGE_BYTES,
                        AdmissionGuard.releasing(slot.get(), supervisor::open)))
                .onFailure(e -> slot.get().release());
    }

    private Router sockJs() {
        // htmlfile and JSONP answer with pages / scripts that run in the caller's page (JSONP's script tags carry no
        // Origin, so no origin check can apply); WebSocket, EventSource and the xhr transports remain
        SockJSHandlerOptions options = new SockJSHandlerOptions()
                .setHeartbeatInterval(25_000)
                .addDisabledTransport(Transport.HTML_FILE.name())
                .addDisabledTransport(Transport.JSON_P.name());
        return SockJSHandler.create(vertx, options).socketHandler(socket -> {
            String client = guard.clientHost(socket);
            Optional<AdmissionGuard.Slot> slot = guard.admit(client);
            if (slot.isEmpty()) guard.refuseSockJs(socket);
            else
                SockJSChannel.attach(
                        socket, client, WRITE_QUEUE_BYTES, AdmissionGuard.releasing(slot.get(), supervisor::open));
        });
    }
}
