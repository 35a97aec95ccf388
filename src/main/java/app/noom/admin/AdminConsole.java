package app.noom.admin;

import static app.noom.config.EnvNames.PATH_ADMIN;

import app.noom.config.NoomConfig;
import app.noom.http.AdmissionGuard;
import app.noom.http.TrustedProxies;
import app.noom.metrics.NoomMetrics;
import app.noom.relay.local.InMemoryPresence;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The read-only admin view: {@code GET /admin/api/overview} (JSON, behind {@code Authorization: Bearer <ADMIN_TOKEN>})
 * and the page under {@code /admin/} (static; it asks for the token and sends it with every request). Without
 * {@code ADMIN_TOKEN} both answer 404. Nothing here logs, and the JSON is written by {@link Overview} alone. More than
 * {@value WrongTokenThrottle#ALLOWED_PER_MINUTE} wrong tokens a minute from one client address: 429 for the rest of it.
 */
public final class AdminConsole {
  static final String PATH_OVERVIEW = PATH_ADMIN + "/api/overview";

  private final Optional<AdminAuth> auth;
  private final OverviewSource source;
  private final StatsSampler sampler;
  private final TrustedProxies proxies;
  private final WrongTokenThrottle wrongTokens = new WrongTokenThrottle();

  private AdminConsole(Optional<AdminAuth> auth, OverviewSource source, StatsSampler sampler, TrustedProxies proxies) {
    this.auth = auth;
    this.proxies = proxies;
    this.source = source;
    this.sampler = sampler;
  }

  /** Single node: rooms from the in-memory presence, rates from a local sampling timer (only when the view is on). */
  public static AdminConsole local(Vertx vertx, NoomConfig config, NoomMetrics metrics, InMemoryPresence presence) {
    StatsSampler sampler = new StatsSampler(metrics.registry());
    Optional<AdminAuth> auth = config.adminToken().map(AdminAuth::new);
    if (auth.isPresent()) {
      sampler.sample();
      vertx.setPeriodic(StatsSampler.INTERVAL_MS, id -> sampler.sample());
    }
    return new AdminConsole(auth, new LocalOverviewSource(config.nodeId(), presence, sampler), sampler,
        config.network().trustedProxies());
  }

  /**
   * Cluster: the overview is read from Redis (a connection pool of its own, opened only when the view is on). Every
   * node reports its stats with its heartbeat ({@link #statsReporter()}) whether or not its own view is on.
   */
  public static AdminConsole clustered(Vertx vertx, NoomConfig config, NoomMetrics metrics) {
    StatsSampler sampler = new StatsSampler(metrics.registry());
    Optional<AdminAuth> auth = config.adminToken().map(AdminAuth::new);
    OverviewSource source = auth.isPresent()
        ? new RedisOverviewSource(vertx, config.nodeId(), config.redisUrl().orElseThrow())
        : () -> io.vertx.core.Future.failedFuture("admin view is off");
    return new AdminConsole(auth, source, sampler, config.network().trustedProxies());
  }

  /** What the heartbeat writes into {@code noom:node:<id>:stats}: a fresh sample each call. */
  public Supplier<Map<String, String>> statsReporter() {
    return sampler::sampleFields;
  }

  /** Adds the admin routes; call before the static handler. Off: {@code /admin} and everything under it is 404. */
  public void mount(Router router) {
    if (auth.isEmpty()) {
      mountNotFound(router);
      return;
    }
    router.get(PATH_OVERVIEW).handler(this::overview);
    router.route(PATH_ADMIN + "/api/*").handler(ctx -> json(ctx.response(), 404, error("not_found")));
    router.get(PATH_ADMIN).handler(ctx -> { // the route also matches "/admin/", which the static handler serves
      if (!ctx.request().path().equals(PATH_ADMIN)) ctx.next();
      else ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, PATH_ADMIN + "/").end();
    });
    // the page itself (webroot/admin/) is served by the static handler with the site's security headers
  }

  /** {@code /admin} and everything under it answer 404 (view off, or served on the internal port only). */
  public static void mountNotFound(Router router) {
    router.route(PATH_ADMIN).handler(AdminConsole::notFound);
    router.route(PATH_ADMIN + "/*").handler(AdminConsole::notFound);
  }

  private void overview(RoutingContext ctx) {
    String client = AdmissionGuard.addressKey(proxies.clientHost(ctx.request().remoteAddress(),
        ctx.request().getHeader("X-Forwarded-For")));
    if (wrongTokens.blocked(client)) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(wrongTokens.secondsLeft(client)));
      json(ctx.response(), 429, error("too_many_attempts"));
      return;
    }
    if (!auth.get().permits(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      wrongTokens.failed(client);
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"noom-admin\"");
      json(ctx.response(), 401, error("unauthorized"));
      return;
    }
    source.overview().onComplete(result -> {
      if (ctx.response().ended() || ctx.response().closed()) return;
      if (result.succeeded()) json(ctx.response(), 200, result.result().toJson());
      else json(ctx.response(), 503, error("unavailable"));
    });
  }

  private static JsonObject error(String code) {
    return new JsonObject().put("error", code);
  }

  private static void json(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        .putHeader("Referrer-Policy", "no-referrer").end(body.encode());
  }

  private static void notFound(RoutingContext ctx) {
    ctx.response().setStatusCode(404).end("Not Found");
  }
}
