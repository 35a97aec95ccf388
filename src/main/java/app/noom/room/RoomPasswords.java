package app.noom.room;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Room passwords as salted PBKDF2-HMAC-SHA256 hashes ({@code pbkdf2$iterations$salt$hash}), at OWASP's current work
 * factor for it (600,000 iterations; older hashes keep verifying with the count they carry). Deliberately slow: run it
 * on {@link #workers}, never on an event loop.
 */
public final class RoomPasswords {
  static final int ITERATIONS = 600_000;
  /** Hashing threads per node: half the cores, so a burst of password rooms cannot take the event loops' CPU. */
  static final int WORKER_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  private static final String WORKER_POOL = "noom-room-passwords";
  private static final SecureRandom RANDOM = new SecureRandom();

  private RoomPasswords() {}

  /** The node's bounded hashing pool (shared by name: every caller on one Vert.x instance gets the same threads). */
  public static io.vertx.core.WorkerExecutor workers(io.vertx.core.Vertx vertx) {
    return vertx.createSharedWorkerExecutor(WORKER_POOL, WORKER_THREADS);
  }

  /** The iteration count an encoded hash was made with (0 if not ours). */
  public static int iterationsOf(String encoded) {
    String[] parts = encoded.split("\\$");
    return parts.length == 4 && parts[0].equals("pbkdf2") ? Integer.parseInt(parts[1]) : 0;
  }

  public static String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return "pbkdf2$" + ITERATIONS + "$" + b64(salt) + "$" + b64(derive(password, salt, ITERATIONS));
  }

  public static boolean matches(String password, String encoded) {
    String[] parts = encoded.split("\\$");
    if (parts.length != 4 || !parts[0].equals("pbkdf2")) return false;
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    return MessageDigest.isEqual(expected, derive(password, salt, Integer.parseInt(parts[1])));
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2 unavailable", e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().withoutPadding().encodeToString(bytes);
  }
}
