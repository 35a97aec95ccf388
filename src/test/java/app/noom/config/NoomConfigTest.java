package app.noom.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NoomConfigTest {

    private static NoomConfig config(String name, String value) {
        return NoomConfig.fromEnv(Map.of(name, value));
    }

    private static IllegalArgumentException refused(String name, String value) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> config(name, value), name + "=" + value);
        assertTrue(e.getMessage().contains(name), e.getMessage());
        return e;
    }

    @Test
    void emptyEnvironmentGivesTheDocumentedDefaults() {
        NoomConfig c = NoomConfig.fromEnv(Map.of());
        assertEquals(8080, c.port());
        assertEquals(6, c.limits().maxMembersPerRoom());
        assertEquals(3, c.limits().maxRoomsPerSession());
        assertEquals(65_536, c.limits().maxFrameBytes());
        assertEquals(32, c.limits().maxNicknameLength());
        assertEquals(64, c.limits().maxRoomNameLength());
        assertEquals(2_000, c.limits().maxChatLength());
        assertEquals(5, c.limits().helloTimeoutSeconds());
        assertEquals(45, c.limits().idleTimeoutSeconds());
        assertEquals(15, c.limits().pingIntervalSeconds());
        assertEquals(List.of(NoomConfig.DEFAULT_STUN), c.stunUrls());
        assertEquals(List.of(), c.turnUrls());
        assertEquals(Optional.empty(), c.turnSecret());
        assertEquals(3600, c.turnTtlSeconds());
        assertEquals(30, c.resumeGraceSeconds());
        assertEquals(List.of(), c.allowedOrigins());
        assertEquals(Optional.empty(), c.redisUrl());
        assertTrue(c.redisUrl().isEmpty());
        assertTrue(c.nodeId().matches("n-[0-9a-f]{8}"), c.nodeId());
        assertTrue(c.httpInstances() >= 1);
        assertEquals(10, c.access().passwordRoomsPerMinute());
    }

    @Test
    void blankValuesMeanUnset() {
        assertEquals(8080, config(EnvNames.PORT, "").port());
        assertEquals(8080, config(EnvNames.PORT, "   ").port());
        assertEquals(Optional.empty(), config(EnvNames.TURN_SECRET, " ").turnSecret());
    }

    @Test
    void integerValuesAreTrimmed() {
        assertEquals(9090, config(EnvNames.PORT, " 9090 ").port());
    }

    @Test
    void setValuesAreRead() {
        NoomConfig c = NoomConfig.fromEnv(Map.of(
                EnvNames.PORT,
                "9000",
                EnvNames.MAX_MEMBERS_PER_ROOM,
                "10",
                EnvNames.MAX_ROOMS_PER_SESSION,
                "5",
                EnvNames.MAX_FRAME_BYTES,
                "4096",
                EnvNames.IDLE_TIMEOUT_SECONDS,
                "60",
                EnvNames.NODE_ID,
                "node-1",
                EnvNames.REDIS_URL,
                "redis://redis:6379"));
        assertEquals(9000, c.port());
        assertEquals(10, c.limits().maxMembersPerRoom());
        assertEquals(5, c.limits().maxRoomsPerSession());
        assertEquals(4096, c.limits().maxFrameBytes());
        assertEquals(60, c.limits().idleTimeoutSeconds());
        assertEquals(20, c.limits().pingIntervalSeconds());
        assertEquals("node-1", c.nodeId());
        assertTrue(c.redisUrl().isPresent());
    }

    @ParameterizedTest
    @CsvSource({
        "PORT,0",
        "PORT,65535",
        "MAX_MEMBERS_PER_ROOM,2",
        "MAX_MEMBERS_PER_ROOM,100",
        "MAX_ROOMS_PER_SESSION,1",
        "MAX_ROOMS_PER_SESSION,50",
        "MAX_FRAME_BYTES,1024",
        "MAX_FRAME_BYTES,1048576",
        "HELLO_TIMEOUT_SECONDS,1",
        "IDLE_TIMEOUT_SECONDS,5",
        "IDLE_TIMEOUT_SECONDS,3600",
        "TURN_TTL_SECONDS,60",
        "RESUME_GRACE_SECONDS,0",
        "RESUME_GRACE_SECONDS,600",
        "HTTP_INSTANCES,1",
        "HTTP_INSTANCES,64",
        "PASSWORD_ROOMS_PER_MINUTE,1",
        "PASSWORD_ROOMS_PER_MINUTE,1000000"
    })
    void boundaryValuesAreAccepted(String name, String value) {
        assertDoesNotThrow(() -> config(name, value));
    }

    @ParameterizedTest
    @CsvSource({
        "PORT,-1",
        "PORT,65536",
        "PORT,70000",
        "MAX_MEMBERS_PER_ROOM,1",
        "MAX_MEMBERS_PER_ROOM,101",
        "MAX_MEMBERS_PER_ROOM,0",
        "MAX_ROOMS_PER_SESSION,0",
        "MAX_ROOMS_PER_SESSION,51",
        "MAX_FRAME_BYTES,1023",
        "MAX_FRAME_BYTES,1048577",
        "HELLO_TIMEOUT_SECONDS,0",
        "HELLO_TIMEOUT_SECONDS,121",
        "IDLE_TIMEOUT_SECONDS,4",
        "IDLE_TIMEOUT_SECONDS,3601",
        "TURN_TTL_SECONDS,59",
        "RESUME_GRACE_SECONDS,-1",
        "RESUME_GRACE_SECONDS,601",
        "HTTP_INSTANCES,0",
        "HTTP_INSTANCES,65",
        "PASSWORD_ROOMS_PER_MINUTE,0",
        "PASSWORD_ROOMS_PER_MINUTE,1000001"
    })
    void outOfRangeValueFailsNamingTheVariable(String name, String value) {
        IllegalArgumentException e = refused(name, value);
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "8080.0", "1e3", "0x1F90", "8080abc", "99999999999", "six"})
    void nonIntegerValueFailsNamingTheVariable(String value) {
        refused(EnvNames.PORT, value);
        refused(EnvNames.MAX_MEMBERS_PER_ROOM, value);
        refused(EnvNames.MAX_ROOMS_PER_SESSION, value);
        refused(EnvNames.MAX_FRAME_BYTES, value);
    }

    @Test
    void toStringNeverContainsTheTurnSecret() {
        String secret = "s3cr3t-TURN-value-4f9a";
        NoomConfig c =
                NoomConfig.fromEnv(Map.of(EnvNames.TURN_SECRET, secret, EnvNames.TURN_URLS, "turn:turn.example:3478"));
        assertEquals(Optional.of(secret), c.turnSecret());
        assertFalse(c.toString().contains(secret), c.toString());
        assertFalse(c.toString().contains("s3cr3t"), c.toString());
        assertTrue(c.toString().contains("turn:turn.example:3478"));
    }

    @Test
    void toStringNeverContainsTheRedisPassword() {
        NoomConfig c = config(EnvNames.REDIS_URL, "redis://:hunter2pass@redis:6379");
        assertFalse(c.toString().contains("hunter2pass"), c.toString());
    }

    @Test
    void stunUrlsAreTrimmedAndEmptiesDropped() {
        NoomConfig c = config(EnvNames.STUN_URLS, " stun:a.example:3478 , ,stun:b.example:3478,, ");
        assertEquals(List.of("stun:a.example:3478", "stun:b.example:3478"), c.stunUrls());
    }

    @Test
    void singleStunUrlIsReadAsAList() {
        assertEquals(
                List.of("stun:a.example:3478"),
                config(EnvNames.STUN_URLS, "stun:a.example:3478").stunUrls());
    }

    @Test
    void turnUrlsAndAllowedOriginsUseTheSameListParsing() {
        assertEquals(
                List.of("turn:t:3478?transport=udp", "turns:t:5349"),
                config(EnvNames.TURN_URLS, "turn:t:3478?transport=udp,, turns:t:5349 ")
                        .turnUrls());
        assertEquals(
                List.of("https://a.example", "https://b.example"),
                config(EnvNames.ALLOWED_ORIGINS, "https://a.example ,https://b.example,")
                        .allowedOrigins());
    }

    @Test
    void hmacSecretsShorterThanTheHashAreRefusedWithoutEchoingThem() {
        for (String[] c : new String[][] {
            {"HS256", "x"}, {"HS256", "a".repeat(31)}, {"HS384", "b".repeat(47)}, {"HS512", "c".repeat(63)}
        }) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> NoomConfig.fromEnv(Map.of(EnvNames.AUTH_JWT_ALGORITHM, c[0], EnvNames.AUTH_JWT_SECRET, c[1])),
                    c[0]);
            assertTrue(e.getMessage().contains("AUTH_JWT_SECRET"), e.getMessage());
            assertFalse(e.getMessage().contains(c[1]), "the secret is never echoed");
        }
        assertTrue(NoomConfig.fromEnv(
                        Map.of(EnvNames.AUTH_JWT_ALGORITHM, "HS256", EnvNames.AUTH_JWT_SECRET, "s".repeat(32)))
                .access()
                .auth()
                .secret()
                .isPresent());
    }

    @Test
    void networkSettings() {
        NoomConfig defaults = NoomConfig.fromEnv(Map.of());
        assertEquals("0.0.0.0", defaults.network().bindHost());
        assertTrue(defaults.network().metricsPort().isEmpty());
        assertEquals(10, defaults.network().requestTimeoutSeconds());
        NoomConfig c = NoomConfig.fromEnv(Map.of(
                EnvNames.BIND_HOST,
                "127.0.0.1",
                EnvNames.METRICS_PORT,
                "9100",
                EnvNames.TRUSTED_PROXIES,
                "10.0.0.0/8, 192.0.2.7 ,fd00::/8",
                EnvNames.HTTP_REQUEST_TIMEOUT_SECONDS,
                "3"));
        assertEquals("127.0.0.1", c.network().bindHost());
        assertEquals(9100, c.network().metricsPort().getAsInt());
        assertEquals(3, c.network().requestTimeoutSeconds());
        assertTrue(c.network().trustedProxies().trusts("10.1.2.3"));
        assertTrue(c.network().trustedProxies().trusts("192.0.2.7"));
        assertFalse(c.network().trustedProxies().trusts("192.0.2.8"));
        assertTrue(c.network().trustedProxies().trusts("fd12::1"));
        refused(EnvNames.TRUSTED_PROXIES, "proxy.example.org");
        refused(EnvNames.TRUSTED_PROXIES, "10.0.0.0/33");
        refused(EnvNames.METRICS_PORT, "70000");
    }
}
