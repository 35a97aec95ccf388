package app.noom.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IceServersTest {

    private static final String SECRET = "noom-test-vector-secret";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    private static final List<String> STUN = List.of("stun:stun.example.org:3478");
    private static final List<String> TURN =
            List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349");

    @Test
    void stunAndTurnWithCredentials() {
        IceServers ice = new IceServers(new IceServers.Config(STUN, TURN, Optional.of(SECRET), 3600), CLOCK);

        JsonArray servers = ice.forSession("m-3fJ9a0Qk");

        assertTrue(ice.offersTurn());
        assertEquals(2, servers.size());
        assertEquals(new JsonObject().put("urls", new JsonArray(STUN)), servers.getJsonObject(0));
        JsonObject turn = servers.getJsonObject(1);
        assertEquals(new JsonArray(TURN), turn.getJsonArray("urls"));
        // same vector as TurnCredentialsTest (computed with openssl there)
        assertEquals("1700003600:pxmxe_c-ybIibS1boGcb1w", turn.getString("username"));
        assertEquals("/AO5PrL6kvYJhytgodsPKNG8+no=", turn.getString("credential"));
        assertEquals(3, turn.size(), "exactly urls, username, credential: " + turn.fieldNames());
    }

    @Test
    void noSecretMeansStunOnly() {
        IceServers ice = new IceServers(new IceServers.Config(STUN, TURN, Optional.empty(), 3600), CLOCK);

        assertFalse(ice.offersTurn());
        assertEquals(new JsonArray().add(new JsonObject().put("urls", new JsonArray(STUN))), ice.forSession("s"));
    }

    @Test
    void blankSecretCountsAsNoSecret() {
        IceServers ice = new IceServers(new IceServers.Config(STUN, TURN, Optional.of(""), 3600), CLOCK);
        assertFalse(ice.offersTurn());
        assertEquals(1, ice.forSession("s").size());
    }

    @Test
    void noTurnUrlsMeansStunOnlyEvenWithSecret() {
        IceServers ice = new IceServers(new IceServers.Config(STUN, List.of(), Optional.of(SECRET), 3600), CLOCK);

        assertFalse(ice.offersTurn());
        assertEquals(new JsonArray().add(new JsonObject().put("urls", new JsonArray(STUN))), ice.forSession("s"));
    }

    @Test
    void emptyStunListGivesNoStunEntry() {
        IceServers turnOnly = new IceServers(new IceServers.Config(List.of(), TURN, Optional.of(SECRET), 3600), CLOCK);
        JsonArray servers = turnOnly.forSession("s");
        assertEquals(1, servers.size());
        assertEquals(new JsonArray(TURN), servers.getJsonObject(0).getJsonArray("urls"));

        IceServers nothing = new IceServers(new IceServers.Config(List.of(), List.of(), Optional.empty(), 3600), CLOCK);
        assertEquals(new JsonArray(), nothing.forSession("s"));
    }

    @Test
    void ttlIsCappedThroughTheConfigToo() {
        IceServers ice = new IceServers(new IceServers.Config(STUN, TURN, Optional.of(SECRET), 10 * 86_400L), CLOCK);
        String username = ice.forSession("s").getJsonObject(1).getString("username");
        assertEquals(1_700_000_000L + TurnCredentials.MAX_TTL_SECONDS, Long.parseLong(username.split(":")[0]));
    }

    @Test
    void everyCallGetsItsOwnArray() {
        IceServers ice = new IceServers(new IceServers.Config(STUN, TURN, Optional.of(SECRET), 3600), CLOCK);
        JsonArray first = ice.forSession("s");
        first.getJsonObject(0).getJsonArray("urls").add("stun:mutated");
        assertEquals(new JsonArray(STUN), ice.forSession("s").getJsonObject(0).getJsonArray("urls"));
    }

    @Test
    void rejectsUrlsWithTheWrongScheme() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new IceServers.Config(TURN, List.of(), Optional.empty(), 3600),
                "TURN urls given as STUN");
        assertThrows(
                IllegalArgumentException.class,
                () -> new IceServers.Config(List.of(), STUN, Optional.of(SECRET), 3600),
                "STUN urls given as TURN");
    }

    @Test
    void toStringsDoNotLeakTheSecret() {
        IceServers.Config config = new IceServers.Config(STUN, TURN, Optional.of(SECRET), 3600);
        IceServers ice = new IceServers(config, CLOCK);
        assertFalse(config.toString().contains(SECRET), config.toString());
        assertFalse(ice.toString().contains(SECRET), ice.toString());
        assertTrue(config.toString().contains("<set>"));
    }
}
