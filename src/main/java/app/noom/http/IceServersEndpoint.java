package app.noom.http;

import app.noom.auth.TokenVerifier;
import app.noom.net.AddressKey;
import app.noom.net.AddressRateWindow;
import app.noom.protocol.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /api/ice-servers}: fresh ICE servers (TURN credentials expire), for callers who could get them anyway.
 * <ul>
 *   <li>{@code Authorization: Bearer <resume token>} of a live session on this node: the session's own TURN user, the
 *       one its {@code welcome} carried — one TURN username per session, so coturn's per-user quota bounds it;
 *   <li>with join tokens required ({@code AUTH_JWT_*}): otherwise only for a valid join token (TURN user derived from
 *       it), else 401 {@code auth_required} / {@code bad_token};
 *   <li>open servers: anyone, with one TURN user per client address.
 * </ul>
 * Every caller is limited to {@value #CALLS_PER_MINUTE} calls a minute per client address (429 {@code rate_limited}).
 */
final class IceServersEndpoint {
    static final int CALLS_PER_MINUTE = 20;
    private static final String BEARER = "Bearer ";

    private final Function<String, JsonArray> iceServersForUser;
    private final Function<String, Optional<String>> liveSessionForResumeToken;
    private final Optional<TokenVerifier> joinTokens;
    private final AdmissionGuard guard;
    private final AddressRateWindow calls = new AddressRateWindow(CALLS_PER_MINUTE);

    IceServersEndpoint(
            Function<String, JsonArray> iceServersForUser,
            Function<String, Optional<String>> liveSessionForResumeToken,
            Optional<TokenVerifier> joinTokens,
            AdmissionGuard guard) {
        this.iceServersForUser = iceServersForUser;
        this.liveSessionForResumeToken = liveSessionForResumeToken;
        this.joinTokens = joinTokens;
        this.guard = guard;
    }

    void handle(RoutingContext ctx) {
        String client = AddressKey.of(guard.clientHost(ctx.request()));
        if (!calls.take(client)) {
            guard.refuse(ctx.response(), 429, ErrorCode.RATE_LIMITED, "too many ICE server requests from your address");
            return;
        }
        Optional<String> bearer = bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        Optional<String> session = bearer.flatMap(liveSessionForResumeToken);
        if (session.isPresent()) {
            answer(ctx, session.get());
        } else if (joinTokens.isEmpty()) {
            answer(ctx, "a-" + shortDigest(client));
        } else if (bearer.isEmpty()) {
            guard.refuse(ctx.response(), 401, ErrorCode.AUTH_REQUIRED, "a join token or a live session is required");
        } else {
            joinTokens.get().verify(bearer.get()).onComplete(verified -> {
                if (ctx.response().ended() || ctx.response().closed()) return;
                if (verified.succeeded()) answer(ctx, "t-" + shortDigest(bearer.get()));
                else guard.refuse(ctx.response(), 401, ErrorCode.BAD_TOKEN, "join token refused");
            });
        }
    }

    private void answer(RoutingContext ctx, String turnUser) {
        JsonResponses.write(ctx.response(), 200, new JsonObject().put("iceServers", iceServersForUser.apply(turnUser)));
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String value = authorization.substring(BEARER.length()).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** An opaque, stable TURN user part: never the token or address itself (usernames are visible on the wire). */
    private static String shortDigest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 9);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
