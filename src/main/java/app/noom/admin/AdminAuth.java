package app.noom.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured admin token. Both sides are hashed first and
 * compared with {@link MessageDigest#isEqual} (constant time over equal-length digests), so neither the content nor the
 * length of the token leaks through timing. Only the digest is kept.
 */
final class AdminAuth {
    private static final String SCHEME = "Bearer ";
    private final byte[] expected;

    AdminAuth(String token) {
        this.expected = sha256(token);
    }

    boolean permits(String authorization) {
        if (authorization == null
                || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(
                expected, sha256(authorization.substring(SCHEME.length()).trim()));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
