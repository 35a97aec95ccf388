package app.noom.ice;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints TURN REST credentials (draft-uberti-behave-turn-rest-00) that coturn verifies with {@code use-auth-secret}:
 * username {@code <expiry unix seconds>:<opaque user id>}, password {@code base64(HMAC-SHA1(secret, username))}.
 *
 * <p>coturn checks the expiry only at ALLOCATE and sets no upper bound on it, so the cap on the TTL lives here.
 * Credentials cannot be revoked, hence a short default. The user part travels in clear on the wire, so it is an
 * HMAC of the session id, never the session id itself (which would let an observer join the dots to signaling).
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the secret.
 */
public final class TurnCredentials {

    public static final long DEFAULT_TTL_SECONDS = 3_600;
    /** Longest lifetime handed out, whatever is configured. */
    public static final long MAX_TTL_SECONDS = 86_400;

    /** Opaque ids are 16 bytes of HMAC: 128 bits is unguessable and keeps the username short (22 chars). */
    private static final int OPAQUE_ID_BYTES = 16;
    /** Domain separation: the same secret also keys the password HMAC, so the id derivation gets its own prefix. */
    private static final String OPAQUE_ID_CONTEXT = "noom-turn-user:";

    private final byte[] secret;
    private final long ttlSeconds;
    private final Clock clock;

    /**
     * @param secret the coturn {@code static-auth-secret}, used as its UTF-8 bytes exactly as coturn does
     * @param requestedTtlSeconds wanted lifetime; values above {@link #MAX_TTL_SECONDS} are clamped to it
     * @param clock source of "now", injectable for tests
     */
    public TurnCredentials(String secret, long requestedTtlSeconds, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) throw new IllegalArgumentException("TURN secret must not be empty");
        if (requestedTtlSeconds <= 0)
            throw new IllegalArgumentException("TURN ttl must be positive: " + requestedTtlSeconds);
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.ttlSeconds = Math.min(requestedTtlSeconds, MAX_TTL_SECONDS);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public TurnCredentials(String secret) {
        this(secret, DEFAULT_TTL_SECONDS, Clock.systemUTC());
    }

    /** The TTL actually used, after the cap. */
    public long ttlSeconds() {
        return ttlSeconds;
    }

    /** Fresh credentials for one signaling session, valid from now for {@link #ttlSeconds()}. */
    public Credential mint(String sessionId) {
        Instant expiresAt = Instant.ofEpochSecond(clock.instant().getEpochSecond() + ttlSeconds);
        String username = expiresAt.getEpochSecond() + ":" + opaqueUserId(sessionId);
        return new Credential(username, passwordFor(username), expiresAt);
    }

    /** base64url (unpadded) of the first 16 bytes of HMAC-SHA256(secret, "noom-turn-user:" + sessionId). */
    public String opaqueUserId(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        byte[] mac = hmac("HmacSHA256", secret, OPAQUE_ID_CONTEXT + sessionId);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac, OPAQUE_ID_BYTES));
    }

    /** The password coturn expects for {@code username}: base64(HMAC-SHA1(secret, username)). */
    public String passwordFor(String username) {
        return Base64.getEncoder().encodeToString(hmac("HmacSHA1", secret, username));
    }

    private static byte[] hmac(String algorithm, byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Both algorithms are mandatory in every JRE; reaching this is a broken runtime.
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "TurnCredentials[ttlSeconds=" + ttlSeconds + ", secret=<redacted>]";
    }

    /** One minted credential pair; {@link #toString()} hides the password. */
    public record Credential(String username, String password, Instant expiresAt) {
        @Override
        public String toString() {
            return "Credential[username=" + username + ", password=<redacted>, expiresAt=" + expiresAt + "]";
        }
    }
}
