package app.noom.room;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Room passwords as salted PBKDF2 hashes, {@code <scheme>$iterations$salt$hash}: new ones PBKDF2-HMAC-SHA512 at OWASP's
 * current work factor for it, 210,000 iterations ({@code pbkdf2-sha512}) — the guidance's cheapest PBKDF2 choice per
 * unit of attacker cost, which matters on a two-core node; hashes of earlier releases ({@code pbkdf2}, HMAC-SHA256)
 * keep verifying with the count they carry. Deliberately slow: run it on {@link #workers}, never on an event loop.
 */
public final class RoomPasswords {
  static final int ITERATIONS = 210_000;
  static final String SCHEME = "pbkdf2-sha512";
  private static final String LEGACY_SCHEME = "pbkdf2";
  /** Hashing threads per node: half the cores, so a burst of password rooms cannot take the event loops' CPU. */
  static final int WORKER_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  private static final String WORKER_POOL = "noom-room-passwords";
  private static final SecureRandom RANDOM = new SecureRandom();

  private RoomPasswords() {}

  /** The node's bounded hashing pool (shared by name: every caller on one Vert.x instance gets the same threads). */
  public static io.vertx.core.WorkerExecutor workers(io.vertx.core.Vertx vertx) {
    return vertx.createSharedWorkerExecutor(WORKER_POOL, WORKER_THREADS);
  }

  /** The scheme and iteration count an encoded hash was made with, e.g. {@code pbkdf2-sha512$210000} ("" if not ours). */
  public static String schemeOf(String encoded) {
    String[] parts = encoded.split("\\$");
    return parts.length == 4 && algorithm(parts[0]) != null ? parts[0] + "$" + parts[1] : "";
  }

  public static String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return SCHEME + "$" + ITERATIONS + "$" + b64(salt) + "$" + b64(derive(SCHEME, password, salt, ITERATIONS));
  }

  public static boolean matches(String password, String encoded) {
    String[] parts = encoded.split("\\$");
    if (parts.length != 4 || algorithm(parts[0]) == null) return false;
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    return MessageDigest.isEqual(expected, derive(parts[0], password, salt, Integer.parseInt(parts[1])));
  }

  private static String algorithm(String scheme) {
    return switch (scheme) {
      case SCHEME -> "PBKDF2WithHmacSHA512";
      case LEGACY_SCHEME -> "PBKDF2WithHmacSHA256";
      default -> null;
    };
  }

  private static byte[] derive(String scheme, String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance(algorithm(scheme)).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2 unavailable", e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().withoutPadding().encodeToString(bytes);
  }
}
