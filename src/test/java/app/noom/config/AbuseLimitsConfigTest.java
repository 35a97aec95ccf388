package app.noom.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AbuseLimitsConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        AbuseLimits a = NoomConfig.fromEnv(Map.of()).limits().abuse();
        assertEquals(new AbuseLimits.Rate(200, 400), a.signals());
        assertEquals(new AbuseLimits.Rate(5, 10), a.chat());
        assertEquals(new AbuseLimits.Rate(2, 5), a.joins());
        assertEquals(50, a.maxConnectionsPerIp());
    }

    @Test
    void everyLimitIsConfigurable() {
        AbuseLimits a = NoomConfig.fromEnv(Map.of(
                        EnvNames.RATE_SIGNALS_PER_SECOND,
                        "50",
                        EnvNames.RATE_SIGNALS_BURST,
                        "60",
                        EnvNames.RATE_CHAT_PER_SECOND,
                        "1",
                        EnvNames.RATE_CHAT_BURST,
                        "2",
                        EnvNames.RATE_JOINS_PER_SECOND,
                        "0",
                        EnvNames.RATE_JOINS_BURST,
                        "3",
                        EnvNames.MAX_CONNECTIONS_PER_IP,
                        "0"))
                .limits()
                .abuse();
        assertEquals(new AbuseLimits.Rate(50, 60), a.signals());
        assertEquals(new AbuseLimits.Rate(1, 2), a.chat());
        assertTrue(a.joins().unlimited());
        assertEquals(0, a.maxConnectionsPerIp());
    }

    @Test
    void badValuesNameTheVariable() {
        for (String name :
                new String[] {EnvNames.RATE_CHAT_PER_SECOND, EnvNames.RATE_CHAT_BURST, EnvNames.MAX_CONNECTIONS_PER_IP
                }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> NoomConfig.fromEnv(Map.of(name, "-1")));
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void readmeDocumentsEveryAbuseVariable() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        for (String name : new String[] {
            EnvNames.ALLOWED_ORIGINS,
            EnvNames.MAX_CONNECTIONS_PER_IP,
            EnvNames.RATE_SIGNALS_PER_SECOND,
            EnvNames.RATE_SIGNALS_BURST,
            EnvNames.RATE_CHAT_PER_SECOND,
            EnvNames.RATE_CHAT_BURST,
            EnvNames.RATE_JOINS_PER_SECOND,
            EnvNames.RATE_JOINS_BURST
        }) {
            assertTrue(readme.contains("`" + name + "`"), name + " missing from README");
        }
    }
}
