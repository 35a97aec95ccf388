package app.noom.room;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.protocol.ErrorCode;
import app.noom.protocol.ProtocolException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Room password hashing: OWASP's work factor, older hashes still verify; the work runs on bounded threads of its own,
 * fairly across addresses, refused {@code password_busy} beyond its bounds, and its results come back on the
 * caller's event loop; password-room creation is limited per address.
 */
class PasswordWorkersTest {
    private Vertx vertx;
    private final List<PasswordWorkers> pools = new ArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        pools.forEach(PasswordWorkers::close);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private PasswordWorkers pool(int threads, int maxWaiting, int perAddress, int roomsPerMinute) {
        PasswordWorkers pool = new PasswordWorkers(threads, maxWaiting, perAddress, roomsPerMinute);
        pools.add(pool);
        return pool;
    }

    @Test
    void newHashesCarryOwaspsWorkFactorForPbkdf2Sha256AndVerify() {
        String hash = RoomPasswords.hash("correct horse");
        String[] parts = hash.split("\\$");
        assertEquals("pbkdf2", parts[0]);
        assertTrue(
                Integer.parseInt(parts[1]) >= 600_000,
                "OWASP 2023: PBKDF2-HMAC-SHA256 ≥ 600,000 iterations: " + parts[1]);
        assertTrue(RoomPasswords.matches("correct horse", hash));
        assertFalse(RoomPasswords.matches("correct horsE", hash));
        assertFalse(hash.contains("correct horse"));
    }

    @Test
    void hashesOfTheEarlierWorkFactorStillVerify() throws Exception {
        // rooms live on in Redis across an upgrade: a hash made at 120,000 iterations keeps its count
        byte[] salt = new byte[16];
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("secret".toCharArray(), salt, 120_000, 256))
                .getEncoded();
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String old = "pbkdf2$120000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
        assertTrue(RoomPasswords.matches("secret", old));
        assertFalse(RoomPasswords.matches("Secret", old));
    }

    @Test
    void workRunsOnItsOwnThreadsAndAnswersOnTheCallersEventLoop() throws Exception {
        PasswordWorkers pool = pool(1, 64, 8, 100);
        Context loop = vertx.getOrCreateContext();
        CompletableFuture<String> seen = new CompletableFuture<>();
        loop.runOnContext(v -> {
            String[] worker = new String[1];
            pool.submit(
                            "10.0.0.1",
                            () -> {
                                worker[0] = Thread.currentThread().getName()
                                        + (Context.isOnEventLoopThread() ? " (event loop!)" : "");
                                return RoomPasswords.hash("pw");
                            },
                            loop)
                    .onComplete(r -> seen.complete(worker[0] + " → answered on "
                            + (Vertx.currentContext() == loop
                                    ? "the caller's loop"
                                    : Thread.currentThread().getName())
                            + (r.succeeded() && RoomPasswords.matches("pw", r.result()) ? ", hash ok" : ", " + r)));
        });
        assertEquals("noom-password-1 → answered on the caller's loop, hash ok", seen.get(60, TimeUnit.SECONDS));
    }

    @Test
    void atMostThePoolsThreadsHashAtOnce() throws Exception {
        PasswordWorkers pool = pool(2, 64, 64, 100);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Future<Integer>> burst = new ArrayList<>();
        Context loop = vertx.getOrCreateContext();
        for (int i = 0; i < 8; i++) {
            burst.add(pool.submit(
                    "10.0.0." + i,
                    () -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        try {
                            Thread.sleep(30);
                            return 1;
                        } finally {
                            running.decrementAndGet();
                        }
                    },
                    loop));
        }
        Future.all(burst).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(2, most.get(), "two threads, eight tasks at once");
    }

    @Test
    void aNewcomerIsNotQueuedBehindAnotherAddresssBacklog() throws Exception {
        PasswordWorkers pool = pool(1, 64, 8, 100);
        Context loop = vertx.getOrCreateContext();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<Void>> all = new ArrayList<>();
        all.add(pool.submit(
                "attacker",
                () -> {
                    started.countDown();
                    release.await(30, TimeUnit.SECONDS); // holds the only thread while the rest queue up
                    order.add("attacker-0");
                    return null;
                },
                loop));
        assertTrue(started.await(30, TimeUnit.SECONDS));
        for (int i = 1; i <= 4; i++) {
            String name = "attacker-" + i;
            all.add(pool.submit("attacker", () -> order.add(name) ? null : null, loop));
        }
        all.add(pool.submit("user", () -> order.add("user") ? null : null, loop));
        release.countDown();
        Future.all(all).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(
                List.of("attacker-0", "user", "attacker-1", "attacker-2", "attacker-3", "attacker-4"),
                order,
                "the user waits for the attacker's running task only, not for its four queued ones");
    }

    @Test
    void fullQueuesRefuseWithPasswordBusyPerAddressAndInAll() throws Exception {
        PasswordWorkers pool = pool(1, 4, 2, 100);
        Context loop = vertx.getOrCreateContext();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Future<Object>> accepted = new ArrayList<>();
        accepted.add(pool.submit(
                "a",
                () -> {
                    started.countDown();
                    return release.await(30, TimeUnit.SECONDS);
                },
                loop));
        assertTrue(started.await(30, TimeUnit.SECONDS)); // running now: no longer waiting
        accepted.add(pool.submit("a", () -> 1, loop));
        accepted.add(pool.submit("a", () -> 2, loop));
        assertBusy(pool.submit("a", () -> 3, loop)); // a's two waiting places are taken
        accepted.add(pool.submit("b", () -> 4, loop));
        accepted.add(pool.submit("c", () -> 5, loop));
        assertBusy(pool.submit("d", () -> 6, loop)); // four waiting in all
        release.countDown();
        Future.all(accepted).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertTrue(accepted.stream().allMatch(Future::succeeded));
        assertEquals(
                7,
                pool.submit("a", () -> 7, loop)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS),
                "room again once the queue drained");
    }

    @Test
    void anAddressMayCreateOnlySoManyPasswordRoomsAMinute() throws Exception {
        PasswordWorkers pool = pool(1, 64, 8, 2);
        Context loop = vertx.getOrCreateContext();
        assertNotNull(pool.hashForNewRoom("10.0.0.1", "pw", loop)
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS));
        assertNotNull(pool.hashForNewRoom("10.0.0.1", "pw", loop)
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS));
        Future<String> third = pool.hashForNewRoom("10.0.0.1", "pw", loop);
        assertTrue(third.failed(), "refused at once, before any hashing");
        assertEquals(ErrorCode.ROOM_CREATION_THROTTLED, ((ProtocolException) third.cause()).code());
        assertTrue(
                RoomPasswords.matches(
                        "pw",
                        pool.hashForNewRoom("10.0.0.2", "pw", loop)
                                .toCompletionStage()
                                .toCompletableFuture()
                                .get(60, TimeUnit.SECONDS)),
                "another address has its own allowance");
    }

    private static void assertBusy(Future<?> refused) {
        assertTrue(refused.failed(), "refused at once");
        assertEquals(ErrorCode.PASSWORD_BUSY, ((ProtocolException) refused.cause()).code());
    }
}
