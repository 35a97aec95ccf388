package app.noom.integration.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import app.noom.ice.TurnCredentials;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Credentials minted by {@link TurnCredentials} against a real coturn with {@code use-auth-secret}.
 *
 * <p>Success = {@code turnutils_uclient -y -n 5 -m 1} exits 0: it allocated two relays and echoed media between
 * them. A rejection is asserted three ways so it cannot pass for the wrong reason (wrong port, crashed client):
 * non-zero exit, the client's "Cannot complete Allocation", and coturn's own log naming that username in its
 * authentication error.
 */
class CoturnAuthTest {

    private static final String CURRENT = CoturnProcess.randomSecret();
    /** A second accepted secret, as during a rotation. */
    private static final String PREVIOUS = CoturnProcess.randomSecret();

    private static final String[] RELAY_FLAGS = {"-y", "-n", "5", "-m", "1"};
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private static CoturnProcess coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        coturn = CoturnProcess.startTestVariant(List.of(CURRENT, PREVIOUS));
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) coturn.close();
    }

    @Test
    void freshCredentialsAllocateAndRelay() throws Exception {
        TurnCredentials.Credential credential = new TurnCredentials(CURRENT).mint("session-fresh");

        Uclient.Result result = Uclient.run(coturn, credential, RELAY_FLAGS);

        assertEquals(0, result.exitCode(), result.describe());
        assertFalse(result.contains("Cannot complete Allocation"), result.describe());
    }

    @Test
    void credentialsUnderTheOtherAcceptedSecretWorkDuringRotation() throws Exception {
        TurnCredentials.Credential credential = new TurnCredentials(PREVIOUS).mint("session-rotation");

        Uclient.Result result = Uclient.run(coturn, credential, RELAY_FLAGS);

        assertEquals(0, result.exitCode(), result.describe());
    }

    @Test
    void expiredCredentialsAreRejected() throws Exception {
        // minted two hours ago with a one-hour TTL: expired an hour ago
        Clock twoHoursAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-2));
        TurnCredentials.Credential credential = new TurnCredentials(CURRENT, 3600, twoHoursAgo).mint("session-expired");
        assertTrue(credential.expiresAt().isBefore(Instant.now()));

        assertRejected(credential.username(), Uclient.run(coturn, credential, RELAY_FLAGS));
    }

    @Test
    void forgedPasswordIsRejected() throws Exception {
        String username = new TurnCredentials(CURRENT).mint("session-forged").username();
        byte[] forged = new byte[20];
        new SecureRandom().nextBytes(forged);

        assertRejected(
                username, Uclient.run(coturn, username, Base64.getEncoder().encodeToString(forged), RELAY_FLAGS));
    }

    @Test
    void extendingTheExpiryInvalidatesThePassword() throws Exception {
        TurnCredentials.Credential genuine = new TurnCredentials(CURRENT).mint("session-tampered");
        String[] parts = genuine.username().split(":", 2);
        String tampered = (Long.parseLong(parts[0]) + 10 * 86_400L) + ":" + parts[1];

        assertRejected(tampered, Uclient.run(coturn, tampered, genuine.password(), RELAY_FLAGS));
    }

    @Test
    void credentialsUnderAnUnknownSecretAreRejected() throws Exception {
        TurnCredentials.Credential credential = new TurnCredentials(CoturnProcess.randomSecret()).mint("session-wrong");

        assertRejected(credential.username(), Uclient.run(coturn, credential, RELAY_FLAGS));
    }

    @Test
    void requestedTenDayTtlIsCappedToOneDayAndAccepted() throws Exception {
        long before = Instant.now().getEpochSecond();
        TurnCredentials.Credential credential =
                new TurnCredentials(CURRENT, 10 * 86_400L, Clock.systemUTC()).mint("session-long");
        long after = Instant.now().getEpochSecond();

        long expiry = Long.parseLong(credential.username().split(":", 2)[0]);
        assertTrue(expiry <= after + 86_400, "expiry " + expiry + " beyond now+86400");
        assertTrue(expiry >= before + 86_400, "cap should clamp to exactly one day, got " + (expiry - before) + " s");
        assertEquals(0, Uclient.run(coturn, credential, RELAY_FLAGS).exitCode());
    }

    @Test
    void coturnItselfPutsNoUpperBoundOnExpiryWhichIsWhyWeCap() throws Exception {
        // Hand-made 10-day credential, bypassing the cap: coturn accepts it. If a future coturn starts bounding
        // expiry this test fails, and the cap's comment in TurnCredentials should be revisited.
        TurnCredentials signer = new TurnCredentials(CURRENT);
        String username =
                (Instant.now().getEpochSecond() + 10 * 86_400L) + ":" + signer.opaqueUserId("session-uncapped");

        Uclient.Result result = Uclient.run(coturn, username, signer.passwordFor(username), RELAY_FLAGS);

        assertEquals(0, result.exitCode(), result.describe());
    }

    @Test
    void coturnLogNeverContainsTheSecrets() {
        // log() replaces every secret by "<secret>": any placeholder means coturn printed a secret.
        assertFalse(coturn.log().contains("<secret>"), "coturn printed a static-auth-secret to its log");
    }

    private static void assertRejected(String username, Uclient.Result result) {
        assertNotEquals(0, result.exitCode(), result.describe());
        assertTrue(result.contains("Cannot complete Allocation"), result.describe());
        awaitLog("<" + username + ">");
    }

    /** coturn writes its log asynchronously from the worker threads: poll it with a deadline. */
    private static void awaitLog(String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String log = "";
        while (System.nanoTime() < deadline) {
            log = coturn.log();
            for (String line : log.split("\n")) {
                if (line.contains(text) && line.contains("check_stun_auth")) return;
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos()); // poll interval inside the deadline loop
        }
        fail("coturn log has no authentication error for " + text + "; tail:\n" + CoturnProcess.tail(log));
    }
}
