package app.noom.integration.config;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bad configuration stops the real process: one clear line naming the variable, no secret, a non-zero exit. */
class StartupRefusalTest {

    private record Outcome(int exitCode, List<String> lines) {}

    private static Outcome run(Map<String, String> env) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder builder = new ProcessBuilder(
                        java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), "app.noom.Main")
                .redirectErrorStream(true);
        builder.environment().put("PORT", "0");
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "a refused configuration must end the process");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(
                process.exitValue(), output.lines().filter(l -> !l.isBlank()).toList());
    }

    @Test
    void shortHs256SecretStopsTheNode() throws Exception {
        Outcome outcome = run(Map.of("AUTH_JWT_ALGORITHM", "HS256", "AUTH_JWT_SECRET", "k"));
        assertNotEquals(0, outcome.exitCode());
        assertEquals(1, outcome.lines().size(), "one line: " + outcome.lines());
        assertTrue(
                outcome.lines().get(0).contains("AUTH_JWT_SECRET must be at least 32 bytes"),
                outcome.lines().get(0));
    }

    @Test
    void untrustworthyProxyListStopsTheNode() throws Exception {
        Outcome outcome = run(Map.of("TRUSTED_PROXIES", "lb.internal"));
        assertNotEquals(0, outcome.exitCode());
        assertEquals(1, outcome.lines().size(), "one line: " + outcome.lines());
        assertTrue(
                outcome.lines().get(0).contains("TRUSTED_PROXIES"),
                outcome.lines().get(0));
    }
}
