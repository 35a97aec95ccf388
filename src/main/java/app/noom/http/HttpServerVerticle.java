package app.noom.http;

import static app.noom.config.EnvNames.*;

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

  private final int port;
  private final SessionServices services;
  private final NodeStatus status;
  private final AdmissionGuard guard;
  private final Consumer<Router> extraRoutes;
  private SessionSupervisor supervisor;
  private HttpServer server;

  public HttpServerVerticle(int port, SessionServices services, NodeStatus status, AdmissionGuard guard) {
    this(port, services, status, guard, router -> {});
  }

  /** {@code extraRoutes} (the admin view) are added before the static files. */
  public HttpServerVerticle(int port, SessionServices services, NodeStatus status, AdmissionGuard guard,
      Consumer<Router> extraRoutes) {
    this.extraRoutes = extraRoutes;
    this.port = port;
    this.services = services;
    this.status = status;
    this.guard = guard;
  }

  @Override
  public Future<?> start() {
    supervisor = new SessionSupervisor(vertx, services);
    supervisor.start();
    HttpServerOptions options = new HttpServerOptions().setPort(port)
        .setMaxWebSocketFrameSize(TRANSPORT_MAX_MESSAGE_BYTES).setMaxWebSocketMessageSize(TRANSPORT_MAX_MESSAGE_BYTES);
    Router router = router();
    // /signal upgrades are taken before the router: vertx-web wraps the WebSocket it hands out, hiding the connection
    // that WebSocketChannel must be able to drop when a client stops reading
    server = vertx.createHttpServer(options).requestHandler(request -> {
      if (PATH_SIGNAL.equals(request.path()) && request.canUpgradeToWebSocket()) upgradeToWebSocket(request);
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
    router.get(PATH_HEALTH).handler(ctx -> status.writeHealth(ctx.response()));
    router.get(PATH_READY).handler(ctx -> status.writeReadiness(ctx.response()));
    router.get(PATH_METRICS).handler(ctx -> status.writeMetrics(ctx.response()));
    router.get(PATH_ICE_SERVERS).handler(this::iceServers);
    router.get(PATH_SIGNAL).handler(ctx -> ctx.response().setStatusCode(400).end("WebSocket upgrade expected"));
    guard.protectSockJs(router, PATH_SOCKJS + "/*"); // origin check + CORS before every SockJS transport
    // SockJS's xhr transports POST their frames; a bounded body handler on POST only keeps upgrades untouched
    router.post(PATH_SOCKJS + "/*").handler(BodyHandler.create(false).setBodyLimit(TRANSPORT_MAX_MESSAGE_BYTES));
    router.route(PATH_SOCKJS + "/*").subRouter(sockJs());
    extraRoutes.accept(router);
    router.route().handler(SecurityHeaders::apply);
    router.route().handler(StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(300)
        .setIndexPage("index.html"));
    return router;
  }

  /** Fresh ICE servers (e.g. before an ICE restart, when TURN credentials may have expired); never cached. */
  private void iceServers(RoutingContext ctx) {
    String opaqueId = "api-" + java.util.UUID.randomUUID();
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(new io.vertx.core.json.JsonObject()
            .put("iceServers", services.iceServersForSession().apply(opaqueId)).encode());
  }

  private void upgradeToWebSocket(HttpServerRequest request) {
    if (status.draining()) {
      // a client told to go away reconnects at once, often before the load balancer saw /ready turn 503: refusing it
      // here lets the balancer retry another node (HAProxy retry-on 503) instead of resuming on a node about to stop
      request.response().setStatusCode(503).putHeader("Retry-After", "1").end("node draining");
      return;
    }
    if (!guard.checkOrigin(request)) return; // 403 before the upgrade
    Optional<AdmissionGuard.Slot> slot = guard.admit(request.remoteAddress());
    if (slot.isEmpty()) {
      guard.refuseUpgrade(request); // 429 before the upgrade
      return;
    }
    request.toWebSocket()
        .onSuccess(ws -> WebSocketChannel.attach(ws, WRITE_QUEUE_BYTES,
            AdmissionGuard.releasing(slot.get(), supervisor::open)))
        .onFailure(e -> slot.get().release());
  }

  private Router sockJs() {
    SockJSHandlerOptions options = new SockJSHandlerOptions().setHeartbeatInterval(25_000);
    return SockJSHandler.create(vertx, options)
        .socketHandler(socket -> {
          Optional<AdmissionGuard.Slot> slot = guard.admit(socket.remoteAddress());
          if (slot.isEmpty()) guard.refuseSockJs(socket);
          else SockJSChannel.attach(socket, WRITE_QUEUE_BYTES, AdmissionGuard.releasing(slot.get(), supervisor::open));
        });
  }
}
