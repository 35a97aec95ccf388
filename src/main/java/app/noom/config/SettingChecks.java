package app.noom.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks of settings whose mistakes would otherwise surface late (a Redis client that never connects, a browser that
 * silently drops a bad ICE url, a JWT library that refuses every token). Each failure names the variable; values that
 * may carry credentials (REDIS_URL, keys) are never echoed.
 */
final class SettingChecks {
    private static final Set<String> REDIS_SCHEMES = Set.of("redis", "rediss", "unix");

    private SettingChecks() {}

    static Optional<String> redisUrl(String name, Optional<String> url) {
        url.ifPresent(u -> {
            URI uri;
            try {
                uri = new URI(u);
            } catch (URISyntaxException e) {
                throw notRedis(name);
            }
            if (uri.getScheme() == null || !REDIS_SCHEMES.contains(uri.getScheme())) throw notRedis(name);
            if (!"unix".equals(uri.getScheme())
                    && (uri.getHost() == null || uri.getHost().isEmpty())) throw notRedis(name);
        });
        return url;
    }

    /**
     * Seed nodes of a Redis Cluster, each {@code host:port} or a Redis URL (for a password or TLS); exclusive with
     * {@code REDIS_URL}, which names one Redis. Entries are named by position, never echoed (a URL may hold a password).
     */
    static List<String> redisCluster(String name, List<String> seeds, boolean singleRedisToo) {
        if (seeds.isEmpty()) return seeds;
        if (singleRedisToo) {
            throw new IllegalArgumentException(
                    "set either REDIS_URL (one Redis) or " + name + " (the seed nodes of a Redis Cluster), not both");
        }
        for (int i = 0; i < seeds.size(); i++) {
            String seed = seeds.get(i);
            if (seed.contains("://")) {
                redisUrl(name + " entry " + (i + 1), Optional.of(seed));
            } else if (!isHostPort(seed)) {
                throw new IllegalArgumentException(
                        name + " entry " + (i + 1) + " is not host:port (a comma-separated list "
                                + "of seed nodes such as redis-0:6379,redis-1:6379; value not shown)");
            }
        }
        return List.copyOf(seeds);
    }

    private static boolean isHostPort(String seed) {
        if (!seed.matches("[A-Za-z0-9.\\-]+:\\d{1,5}")) return false;
        int port = Integer.parseInt(seed.substring(seed.lastIndexOf(':') + 1));
        return port >= 1 && port <= 65_535;
    }

    private static IllegalArgumentException notRedis(String name) {
        return new IllegalArgumentException(name + " must be a Redis URL such as redis://host:6379 or "
                + "rediss://:password@host:6380 (value not shown: it may hold a password)");
    }

    /** Every entry starts with one of the schemes and names a host after it ({@code turn:host:3478?transport=tcp}). */
    static List<String> iceUrls(String name, List<String> urls, String... schemes) {
        for (String url : urls) {
            boolean ok = false;
            for (String scheme : schemes) {
                ok |= url.startsWith(scheme) && url.length() > scheme.length() && !url.startsWith(scheme + "/");
            }
            if (!ok) {
                throw new IllegalArgumentException(
                        name + " entries must look like " + schemes[0] + "host:port, got '" + url + "'");
            }
        }
        return urls;
    }

    /**
     * A {@code turns:} URL is TURN over TLS, which runs on TCP: {@code ?transport=udp} would ask for DTLS, which
     * browsers do not speak to TURN servers and the shipped coturn.conf switches off (no-dtls). The browser would
     * drop the server without a word; refuse it here instead.
     */
    static List<String> turnsOverTcp(String name, List<String> urls) {
        for (String url : urls) {
            if (url.toLowerCase(Locale.ROOT).startsWith("turns:")
                    && url.toLowerCase(Locale.ROOT).contains("transport=udp")) {
                throw new IllegalArgumentException(
                        name + " entry '" + url + "' is a turns: (TLS) URL with transport=udp;"
                                + " TURN over TLS runs on TCP: use transport=tcp or drop the transport parameter");
            }
        }
        return urls;
    }

    /** The key material the pinned algorithm needs is present and parses (HMAC secret, or RSA/EC public key in PEM). */
    static void jwtKey(Optional<String> algorithm, Optional<String> secret, Optional<String> publicKeyPem) {
        if (algorithm.isEmpty()) return;
        String alg = algorithm.get();
        if (alg.startsWith("HS")) {
            if (secret.isEmpty())
                throw new IllegalArgumentException(EnvNames.AUTH_JWT_SECRET + " is required for " + alg);
            return;
        }
        String variable = EnvNames.AUTH_JWT_PUBLIC_KEY;
        String pem = publicKeyPem.orElseThrow(() -> new IllegalArgumentException(variable + " is required for " + alg));
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        if (!pem.contains("-----BEGIN PUBLIC KEY-----") || body.isEmpty()) {
            throw new IllegalArgumentException(
                    variable + " must be a PEM public key (-----BEGIN PUBLIC KEY-----) for " + alg);
        }
        try {
            KeyFactory.getInstance(alg.startsWith("RS") ? "RSA" : "EC")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    variable + " is not a valid " + (alg.startsWith("RS") ? "RSA" : "EC") + " public key for " + alg);
        }
    }
}
