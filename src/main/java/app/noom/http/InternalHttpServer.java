package app.noom.http;

import static app.noom.config.EnvNames.*;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.function.Consumer;

/**
 * {@code METRICS_PORT}: the listener for operators and Prometheus only — {@code /metrics}, the admin view,
 * {@code /health} and {@code /ready} — kept off the public port, so no path spelling (//metrics, /%6detrics, …)
 * that a proxy rule misses can reach them from outside. Publish this port on the internal network only.
 */
public final class InternalHttpServer extends VerticleBase {
    private final String host;
    private final int port;
    private final NodeStatus status;
    private final Consumer<Router> adminRoutes;
    private HttpServer server;

    public InternalHttpServer(String host, int port, NodeStatus status, Consumer<Router> adminRoutes) {
        this.host = host;
        this.port = port;
        this.status = status;
        this.adminRoutes = adminRoutes;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.route().handler(SecurityHeaders::apply);
        router.get(PATH_HEALTH).handler(ctx -> status.writeHealth(ctx.response()));
        router.get(PATH_READY).handler(ctx -> status.writeReadiness(ctx.response()));
        router.get(PATH_METRICS).handler(ctx -> status.writeMetrics(ctx.response()));
        adminRoutes.accept(router);
        router.route(PATH_ADMIN + "/*")
                .handler(StaticHandler.create("webroot/admin").setIndexPage("index.html"));
        router.route().handler(HttpServerVerticle::notFound);
        server = vertx.createHttpServer(
                new HttpServerOptions().setHost(host).setPort(port).setIdleTimeout(60));
        return server.requestHandler(router).listen().onSuccess(s -> status.internalListeningOn(s.actualPort()));
    }

    @Override
    public Future<?> stop() {
        return server.close();
    }
}
