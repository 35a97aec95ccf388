package app.noom.config;

import static app.noom.config.EnvNames.*;

import app.noom.http.TrustedProxies;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything configurable, read once from the environment and validated; passed to components by constructor.
 * {@link #toString()} never prints the TURN secret or the admin token.
 */
public record NoomConfig(
        int port,
        String nodeId,
        int httpInstances,
        Optional<String> redisUrl,
        List<String> redisCluster,
        List<String> stunUrls,
        List<String> turnUrls,
        Optional<String> turnSecret,
        int turnTtlSeconds,
        Limits limits,
        int resumeGraceSeconds,
        List<String> allowedOrigins,
        RoomAccess access,
        Optional<String> adminToken,
        Network network,
        LogSettings logging) {

    /**
     * Where the node listens: {@code BIND_HOST} for every listener; {@code METRICS_PORT} (when set) an internal listener
     * that alone serves {@code /metrics} and the admin view, which the public port then answers 404.
     * {@code TRUSTED_PROXIES}: whose {@code X-Forwarded-For} names the client. {@code HTTP_REQUEST_TIMEOUT_SECONDS}: how
     * long a new connection may take to send a complete request head.
     */
    public record Network(
            String bindHost, OptionalInt metricsPort, TrustedProxies trustedProxies, int requestTimeoutSeconds) {}

    /**
     * Room access rules: how long a kick keeps a member out, how many wrong passwords a client may try per minute, how
     * many password rooms (a PBKDF2 hash each) one address may create per minute.
     */
    public record RoomAccess(
            int kickBanSeconds,
            int passwordAttemptsPerMinute,
            AuthConfig auth,
            int maxRoomsPerNode,
            int passwordRoomsPerMinute) {}

    /** Signed join tokens; off unless {@code AUTH_JWT_ALGORITHM} is set. {@link #toString()} hides the secret. */
    public record AuthConfig(
            Optional<String> algorithm,
            Optional<String> secret,
            Optional<String> publicKeyPem,
            Optional<String> issuer,
            Optional<String> audience) {
        private static final java.util.Set<String> PINNABLE =
                java.util.Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512");

        public AuthConfig {
            algorithm.ifPresent(alg -> {
                if (!PINNABLE.contains(alg)) {
                    throw new IllegalArgumentException("AUTH_JWT_ALGORITHM must be one of "
                            + new java.util.TreeSet<>(PINNABLE) + ", got '" + alg + "'");
                }
                int minBytes = minSecretBytes(alg);
                // RFC 7518 3.2: an HMAC key at least as long as the hash; a short secret can be brute-forced offline
                // from any
                // token. The value is never echoed.
                if (minBytes > 0
                        && secret.isPresent()
                        && secret.get().getBytes(StandardCharsets.UTF_8).length < minBytes) {
                    throw new IllegalArgumentException(
                            "AUTH_JWT_SECRET must be at least " + minBytes + " bytes for " + alg);
                }
            });
        }

        /** HS256 → 32, HS384 → 48, HS512 → 64; 0 for the public-key algorithms. */
        static int minSecretBytes(String algorithm) {
            return algorithm.startsWith("HS") ? Integer.parseInt(algorithm.substring(2)) / 8 : 0;
        }

        @Override
        public String toString() {
            return "AuthConfig[algorithm=" + algorithm.orElse("<off>") + ", secret="
                    + secret.map(s -> "<set>").orElse("<unset>")
                    + ", publicKey=" + publicKeyPem.map(s -> "<set>").orElse("<unset>") + ", issuer=" + issuer
                    + ", audience="
                    + audience + "]";
        }
    }

    /** Protocol limits, announced to clients in {@code welcome}. */
    public record Limits(
            int maxFrameBytes,
            int maxMembersPerRoom,
            int maxRoomsPerSession,
            int maxNicknameLength,
            int maxRoomNameLength,
            int maxChatLength,
            int helloTimeoutSeconds,
            int idleTimeoutSeconds,
            int pingIntervalSeconds,
            AbuseLimits abuse) {}

    /** A guessable admin token would open the admin view to anyone: demand at least this many characters. */
    public static final int MIN_ADMIN_TOKEN_LENGTH = 16;

    public static final String DEFAULT_STUN = "stun:stun.l.google.com:19302";

    public static NoomConfig fromEnv(Map<String, String> env) {
        EnvReader r = new EnvReader(env);
        int idle = r.intIn(IDLE_TIMEOUT_SECONDS, 45, 5, 3600);
        Limits limits = new Limits(
                r.intIn(MAX_FRAME_BYTES, 65_536, 1_024, 1_048_576),
                r.intIn(MAX_MEMBERS_PER_ROOM, 6, 2, 100),
                r.intIn(MAX_ROOMS_PER_SESSION, 3, 1, 50),
                32,
                64,
                2_000,
                r.intIn(HELLO_TIMEOUT_SECONDS, 5, 1, 120),
                idle,
                Math.max(1, idle / 3),
                abuseLimits(r));
        return new NoomConfig(
                r.intIn(PORT, 8080, 0, 65_535),
                r.string(NODE_ID).orElseGet(NoomConfig::randomNodeId),
                r.intIn(HTTP_INSTANCES, Runtime.getRuntime().availableProcessors(), 1, 64),
                SettingChecks.redisUrl(REDIS_URL, r.string(REDIS_URL)),
                SettingChecks.redisCluster(
                        REDIS_CLUSTER,
                        r.list(REDIS_CLUSTER, List.of()),
                        r.string(REDIS_URL).isPresent()),
                SettingChecks.iceUrls(STUN_URLS, r.list(STUN_URLS, List.of(DEFAULT_STUN)), "stun:", "stuns:"),
                SettingChecks.turnsOverTcp(
                        TURN_URLS, SettingChecks.iceUrls(TURN_URLS, r.list(TURN_URLS, List.of()), "turn:", "turns:")),
                r.string(TURN_SECRET),
                r.intIn(TURN_TTL_SECONDS, 3600, 60, Integer.MAX_VALUE),
                limits,
                r.intIn(RESUME_GRACE_SECONDS, 30, 0, 600),
                r.list(ALLOWED_ORIGINS, List.of()),
                new RoomAccess(
                        r.intIn(KICK_BAN_SECONDS, 600, 0, 86_400 * 7),
                        r.intIn(PASSWORD_ATTEMPTS_PER_MINUTE, 5, 1, 1000),
                        authConfig(r),
                        r.intIn(MAX_ROOMS_PER_NODE, 10_000, 1, 10_000_000),
                        r.intIn(PASSWORD_ROOMS_PER_MINUTE, 10, 1, 1_000_000)),
                adminToken(r),
                new Network(
                        r.string(BIND_HOST).orElse("0.0.0.0"),
                        r.optionalIntIn(METRICS_PORT, 0, 65_535),
                        TrustedProxies.parse(r.list(TRUSTED_PROXIES, List.of())),
                        r.intIn(HTTP_REQUEST_TIMEOUT_SECONDS, 10, 1, 300)),
                LogSettings.fromEnv(env));
    }

    private static AuthConfig authConfig(EnvReader r) {
        AuthConfig auth = new AuthConfig(
                r.string(AUTH_JWT_ALGORITHM),
                r.string(AUTH_JWT_SECRET),
                r.string(AUTH_JWT_PUBLIC_KEY),
                r.string(AUTH_JWT_ISSUER),
                r.string(AUTH_JWT_AUDIENCE));
        SettingChecks.jwtKey(auth.algorithm(), auth.secret(), auth.publicKeyPem());
        return auth;
    }

    private static Optional<String> adminToken(EnvReader r) {
        Optional<String> token = r.string(ADMIN_TOKEN);
        if (token.isPresent() && token.get().length() < MIN_ADMIN_TOKEN_LENGTH) { // never echo the value
            throw new IllegalArgumentException(
                    ADMIN_TOKEN + " must be at least " + MIN_ADMIN_TOKEN_LENGTH + " characters");
        }
        return token;
    }

    private static AbuseLimits abuseLimits(EnvReader r) {
        AbuseLimits d = AbuseLimits.DEFAULTS;
        return new AbuseLimits(
                new AbuseLimits.Rate(
                        r.intIn(RATE_SIGNALS_PER_SECOND, d.signals().perSecond(), 0, 1_000_000),
                        r.intIn(RATE_SIGNALS_BURST, d.signals().burst(), 1, 1_000_000)),
                new AbuseLimits.Rate(
                        r.intIn(RATE_CHAT_PER_SECOND, d.chat().perSecond(), 0, 1_000_000),
                        r.intIn(RATE_CHAT_BURST, d.chat().burst(), 1, 1_000_000)),
                new AbuseLimits.Rate(
                        r.intIn(RATE_JOINS_PER_SECOND, d.joins().perSecond(), 0, 1_000_000),
                        r.intIn(RATE_JOINS_BURST, d.joins().burst(), 1, 1_000_000)),
                r.intIn(MAX_CONNECTIONS_PER_IP, d.maxConnectionsPerIp(), 0, 1_000_000));
    }

    private static String randomNodeId() {
        byte[] bytes = new byte[4];
        new SecureRandom().nextBytes(bytes);
        return "n-" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "NoomConfig[port=" + port + ", nodeId=" + nodeId + ", httpInstances=" + httpInstances
                + ", redis="
                + (redisCluster.isEmpty()
                        ? redisUrl.map(u -> "on").orElse("off")
                        : "cluster of " + redisCluster.size() + " seed(s)")
                + ", stunUrls=" + stunUrls + ", turnUrls=" + turnUrls
                + ", turnSecret=" + turnSecret.map(s -> "<set>").orElse("<unset>") + ", turnTtlSeconds="
                + turnTtlSeconds
                + ", limits=" + limits + ", resumeGraceSeconds=" + resumeGraceSeconds + ", allowedOrigins="
                + allowedOrigins
                + ", access=" + access + ", adminToken="
                + adminToken.map(t -> "<set>").orElse("<unset>") + ", network=" + network
                + ", logging=" + logging + "]";
    }

    /** Parses environment values, failing fast with the variable's name on bad input. */
    private record EnvReader(Map<String, String> env) {
        Optional<String> string(String name) {
            return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
        }

        int intIn(String name, int fallback, int min, int max) {
            Optional<String> raw = string(name);
            if (raw.isEmpty()) return fallback;
            try {
                int value = Integer.parseInt(raw.get());
                if (value < min || value > max) {
                    throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ", got " + value);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be an integer, got '" + raw.get() + "'");
            }
        }

        OptionalInt optionalIntIn(String name, int min, int max) {
            return string(name).isEmpty() ? OptionalInt.empty() : OptionalInt.of(intIn(name, 0, min, max));
        }

        List<String> list(String name, List<String> fallback) {
            if (!env.containsKey(name)) return fallback;
            return Arrays.stream(env.get(name).split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
    }
}
