package app.noom.auth;

import app.noom.config.NoomConfig.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Verifies signed join tokens (JWT) when {@code AUTH_JWT_ALGORITHM} is configured. The algorithm is pinned by
 * configuration and checked against the token's header before anything else — never taken from the token (cf. Jitsi
 * CVE-2021-39215: an HS256 token "signed" with the RS256 public key, or {@code alg: none}, is refused). {@code exp},
 * {@code nbf}, {@code iss} and {@code aud} are checked. Tokens are never logged.
 */
public final class TokenVerifier {
    private static final long LEEWAY_SECONDS = 5;

    private final String algorithm;
    private final JWTAuth jwt;

    private TokenVerifier(String algorithm, JWTAuth jwt) {
        this.algorithm = algorithm;
        this.jwt = jwt;
    }

    /** Empty when tokens are not configured: rooms are anonymous. */
    public static Optional<TokenVerifier> create(Vertx vertx, AuthConfig config) {
        if (config.algorithm().isEmpty()) return Optional.empty();
        String algorithm = config.algorithm().get();
        PubSecKeyOptions key = new PubSecKeyOptions()
                .setAlgorithm(algorithm)
                .setBuffer(
                        algorithm.startsWith("HS")
                                ? config.secret()
                                        .orElseThrow(() -> new IllegalArgumentException(
                                                "AUTH_JWT_SECRET is required for " + algorithm))
                                : config.publicKeyPem()
                                        .orElseThrow(() -> new IllegalArgumentException(
                                                "AUTH_JWT_PUBLIC_KEY is required for " + algorithm)));
        JWTOptions checks = new JWTOptions().setLeeway((int) LEEWAY_SECONDS);
        config.issuer().ifPresent(checks::setIssuer);
        config.audience().ifPresent(aud -> checks.setAudience(List.of(aud)));
        return Optional.of(new TokenVerifier(
                algorithm,
                JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key).setJWTOptions(checks))));
    }

    /** The token's grants, or a failed future (the reason is for the client, never contains the token). */
    public Future<Grants> verify(String token) {
        if (!algorithm.equals(headerAlgorithm(token))) {
            return Future.failedFuture(new IllegalArgumentException("token algorithm not accepted"));
        }
        // the JWT library throws (instead of failing its future) on time claims that are not numbers, e.g. exp:null
        if (!numericTimeClaims(token)) {
            return Future.failedFuture(new IllegalArgumentException("token exp, nbf and iat must be numbers"));
        }
        Future<io.vertx.ext.auth.User> authenticated;
        try {
            authenticated = jwt.authenticate(new TokenCredentials(token));
        } catch (RuntimeException e) { // whatever else the library may throw on a signed but odd token: still a refusal
            return Future.failedFuture(new IllegalArgumentException("token not readable"));
        }
        return authenticated.compose(user -> {
            // Vert.x keeps the decoded claims in the user's attributes ("accessToken"); the principal holds the raw
            // token
            JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
            long now = System.currentTimeMillis() / 1000;
            if (!claims.containsKey("exp"))
                return Future.failedFuture(new IllegalArgumentException("token has no exp"));
            if (claims.getLong("nbf", 0L) > now + LEEWAY_SECONDS) {
                return Future.failedFuture(new IllegalArgumentException("token not valid yet"));
            }
            return Future.succeededFuture(new Grants(
                    Optional.ofNullable(claims.getString("room")),
                    "host".equals(claims.getString("role")),
                    claims.getValue("sub") instanceof String sub && !sub.isEmpty()
                            ? Optional.of(sub)
                            : Optional.empty()));
        });
    }

    /** {@code exp} must be present and, like {@code nbf} and {@code iat} when present, a JSON number. */
    static boolean numericTimeClaims(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) return true; // not a JWS: the library refuses it with its own reason
        try {
            JsonObject claims =
                    new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            if (!(claims.getValue("exp") instanceof Number)) return false;
            for (String name : List.of("nbf", "iat")) {
                if (claims.containsKey(name) && !(claims.getValue(name) instanceof Number)) return false;
            }
            return true;
        } catch (RuntimeException e) {
            return true; // not JSON: the library refuses it
        }
    }

    private static String headerAlgorithm(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) return "";
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            return new JsonObject(header).getString("alg", "");
        } catch (RuntimeException e) {
            return "";
        }
    }
}
