package app.noom.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {

    private static final String SECRET = "noom-test-vector-secret";
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /*
     * Expected values computed outside Java with OpenSSL (bash):
     *   S='noom-test-vector-secret'
     *   printf '%s' 'noom-turn-user:m-3fJ9a0Qk' | openssl dgst -sha256 -hmac "$S" -binary \
     *     | head -c 16 | base64 | tr '+/' '-_' | tr -d '='                        -> pxmxe_c-ybIibS1boGcb1w
     *   printf '%s' '1700003600:pxmxe_c-ybIibS1boGcb1w' | openssl dgst -sha1 -hmac "$S" -binary | base64
     *                                                                            -> /AO5PrL6kvYJhytgodsPKNG8+no=
     *   printf '%s' '1700003600:alice' | openssl dgst -sha1 -hmac "$S" -binary | base64
     *                                                                            -> 9hDMJLZ9AiUOzsqnZXNP0tk2pBc=
     */
    private static final String OPAQUE_ID = "pxmxe_c-ybIibS1boGcb1w";
    private static final String VECTOR_PASSWORD = "/AO5PrL6kvYJhytgodsPKNG8+no=";
    private static final String ALICE_PASSWORD = "9hDMJLZ9AiUOzsqnZXNP0tk2pBc=";

    @Test
    void mintsTheExternallyComputedVector() {
        TurnCredentials turn = new TurnCredentials(SECRET, 3600, CLOCK);

        TurnCredentials.Credential c = turn.mint("m-3fJ9a0Qk");

        assertEquals("1700003600:" + OPAQUE_ID, c.username());
        assertEquals(VECTOR_PASSWORD, c.password());
        assertEquals(Instant.ofEpochSecond(1_700_003_600L), c.expiresAt());
    }

    @Test
    void passwordIsPlainRestApiHmacOfAnyUsername() {
        assertEquals(ALICE_PASSWORD, new TurnCredentials(SECRET, 3600, CLOCK).passwordFor("1700003600:alice"));
    }

    @Test
    void usernameDoesNotRevealTheSessionId() {
        TurnCredentials turn = new TurnCredentials(SECRET, 3600, CLOCK);

        String username = turn.mint("m-3fJ9a0Qk").username();

        assertFalse(username.contains("3fJ9a0Qk"), username);
        // stable per session, distinct across sessions and across secrets
        assertEquals(username, turn.mint("m-3fJ9a0Qk").username());
        assertNotEquals(username, turn.mint("m-other").username());
        assertNotEquals(
                username,
                new TurnCredentials("another-secret", 3600, CLOCK)
                        .mint("m-3fJ9a0Qk")
                        .username());
    }

    @Test
    void defaultTtlIsOneHour() {
        TurnCredentials turn = new TurnCredentials(SECRET);
        assertEquals(3600, turn.ttlSeconds());
        long expiry = turn.mint("s").expiresAt().getEpochSecond();
        long now = Instant.now().getEpochSecond();
        assertTrue(expiry >= now + 3600 - 5 && expiry <= now + 3600 + 5, "expiry " + expiry + " vs now " + now);
    }

    @Test
    void ttlAboveOneDayIsClamped() {
        TurnCredentials turn = new TurnCredentials(SECRET, 10 * 86_400L, CLOCK);

        assertEquals(86_400, turn.ttlSeconds());
        assertEquals(NOW.plusSeconds(86_400), turn.mint("s").expiresAt());
        assertTrue(turn.mint("s").username().startsWith((NOW.getEpochSecond() + 86_400) + ":"));
    }

    @Test
    void ttlAtTheCapIsKept() {
        assertEquals(86_400, new TurnCredentials(SECRET, 86_400, CLOCK).ttlSeconds());
        assertEquals(60, new TurnCredentials(SECRET, 60, CLOCK).ttlSeconds());
    }

    @Test
    void rejectsEmptySecretAndNonPositiveTtl() {
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials("", 3600, CLOCK));
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(SECRET, 0, CLOCK));
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(SECRET, -5, CLOCK));
    }

    @Test
    void toStringHidesSecretAndPassword() {
        TurnCredentials turn = new TurnCredentials(SECRET, 3600, CLOCK);
        TurnCredentials.Credential c = turn.mint("m-3fJ9a0Qk");

        assertFalse(turn.toString().contains(SECRET));
        assertFalse(c.toString().contains(c.password()));
        assertTrue(c.toString().contains(c.username()), "username is not secret and helps debugging");
    }
}
