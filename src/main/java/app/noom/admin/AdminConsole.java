package app.noom.admin;

import static app.noom.config.EnvNames.PATH_ADMIN;

import app.noom.config.NoomConfig;
import app.noom.http.JsonResponses;
import app.noom.http.TrustedProxies;
import app.noom.net.AddressKey;
import app.noom.overview.OverviewSource;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

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
    private final TrustedProxies proxies;
    private final WrongTokenThrottle wrongTokens = new WrongTokenThrottle();

    private AdminConsole(Optional<AdminAuth> auth, OverviewSource source, TrustedProxies proxies) {
        this.auth = auth;
        this.proxies = proxies;
        this.source = source;
    }

    /** The view reads {@code source}; without {@code ADMIN_TOKEN} it is off and every admin path answers 404. */
    public static AdminConsole create(NoomConfig config, Optional<OverviewSource> source) {
        return new AdminConsole(
                config.adminToken().map(AdminAuth::new),
                source.orElse(OverviewSource.OFF),
                config.network().trustedProxies());
    }

    /** Adds the admin routes; call before the static handler. Off: {@code /admin} and everything under it is 404. */
    public void mount(Router router) {
        if (auth.isEmpty()) {
            mountNotFound(router);
            return;
        }
        router.get(PATH_OVERVIEW).handler(this::overview);
        router.route(PATH_ADMIN + "/api/*")
                .handler(ctx -> JsonResponses.write(ctx.response(), 404, error("not_found")));
        router.get(PATH_ADMIN)
                .handler(
                        ctx -> { // the route also matches "/admin/", which the static handler serves
                            if (!ctx.request().path().equals(PATH_ADMIN)) ctx.next();
                            else
                                ctx.response()
                                        .setStatusCode(302)
                                        .putHeader(HttpHeaders.LOCATION, PATH_ADMIN + "/")
                                        .end();
                        });
        // the page itself (webroot/admin/) is served by the static handler with the site's security headers
    }

    /** {@code /admin} and everything under it answer 404 (view off, or served on the internal port only). */
    public static void mountNotFound(Router router) {
        router.route(PATH_ADMIN).handler(AdminConsole::notFound);
        router.route(PATH_ADMIN + "/*").handler(AdminConsole::notFound);
    }

    private void overview(RoutingContext ctx) {
        String client = AddressKey.of(
                proxies.clientHost(ctx.request().remoteAddress(), ctx.request().getHeader("X-Forwarded-For")));
        if (wrongTokens.blocked(client)) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(wrongTokens.secondsLeft(client)));
            JsonResponses.write(ctx.response(), 429, error("too_many_attempts"));
            return;
        }
        if (!auth.get().permits(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            wrongTokens.failed(client);
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"noom-admin\"");
            JsonResponses.write(ctx.response(), 401, error("unauthorized"));
            return;
        }
        source.overview().onComplete(result -> {
            if (result.succeeded())
                JsonResponses.write(ctx.response(), 200, result.result().toJson());
            else JsonResponses.write(ctx.response(), 503, error("unavailable"));
        });
    }

    private static JsonObject error(String code) {
        return new JsonObject().put("error", code);
    }

    private static void notFound(RoutingContext ctx) {
        ctx.response().setStatusCode(404).end("Not Found");
    }
}
