package app.noom.unit.room;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.room.RoomPasswords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Room password hashes: OWASP's PBKDF2 work factor, old hashes still verify, hashing runs on a bounded pool. */
class RoomPasswordsTest {

  @Test
  void newHashesUseOwaspsWorkFactorAndVerify() {
    String hash = RoomPasswords.hash("correct horse");
    // OWASP Password Storage Cheat Sheet: PBKDF2-HMAC-SHA512 with at least 210,000 iterations
    String scheme = RoomPasswords.schemeOf(hash);
    assertTrue(scheme.startsWith("pbkdf2-sha512$"), scheme);
    assertTrue(Integer.parseInt(scheme.substring(scheme.indexOf('$') + 1)) >= 210_000, scheme);
    assertTrue(RoomPasswords.matches("correct horse", hash));
    assertFalse(RoomPasswords.matches("correct horsE", hash));
    assertFalse(hash.contains("correct horse"));
  }

  @Test
  void hashesMadeWithTheOldWorkFactorStillVerify() {
    // made by the previous release (120,000 iterations); rooms live on in Redis across an upgrade
    String old = "pbkdf2$120000$AAECAwQFBgcICQoLDA0ODw$"
        + java.util.Base64.getEncoder().withoutPadding().encodeToString(derive("secret", 120_000));
    assertTrue(RoomPasswords.matches("secret", old));
    assertFalse(RoomPasswords.matches("Secret", old));
  }

  @Test
  void hashingRunsOnABoundedPoolOffTheEventLoops() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      WorkerExecutor workers = RoomPasswords.workers(vertx);
      AtomicInteger running = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      List<Future<String>> burst = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        burst.add(workers.executeBlocking(() -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            return Thread.currentThread().getName() + " " + RoomPasswords.hash("p").length();
          } finally {
            running.decrementAndGet();
          }
        }, false));
      }
      List<String> threads = Future.all(burst).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS)
          .list();
      int bound = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
      assertTrue(most.get() <= bound, "at most " + bound + " hashes at once, saw " + most.get());
      threads.forEach(t -> assertTrue(t.startsWith("noom-room-passwords"), t));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static byte[] derive(String password, int iterations) {
    try {
      byte[] salt = java.util.Base64.getDecoder().decode("AAECAwQFBgcICQoLDA0ODw==");
      return javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
