package app.noom.integration.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A new operator's mistakes, tried on the real process ({@code java app.noom.Main}, as the image runs it): each bad
 * setting must end the process non-zero with exactly one line that names the variable — never a silent exit 0, which
 * Kubernetes shows as a "Completed" pod with empty logs.
 */
class BadSettingExitTest {
    private static final String PEM_GARBAGE =
            "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PUBLIC KEY-----";

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of("REDIS_URL", Map.of("REDIS_URL", "notaurl")),
                Arguments.of("REDIS_URL", Map.of("REDIS_URL", "http://redis:6379")),
                Arguments.of("REDIS_CLUSTER", Map.of("REDIS_CLUSTER", "redis-0")),
                Arguments.of("REDIS_CLUSTER", Map.of("REDIS_CLUSTER", "redis-0:6379,redis-1:99999")),
                Arguments.of("REDIS_CLUSTER", Map.of("REDIS_CLUSTER", "redis-0:6379,http://redis-1:6379")),
                Arguments.of(
                        "REDIS_CLUSTER", Map.of("REDIS_CLUSTER", "redis-0:6379", "REDIS_URL", "redis://redis:6379")),
                Arguments.of("STUN_URLS", Map.of("STUN_URLS", "notastun")),
                Arguments.of("TURN_URLS", Map.of("TURN_URLS", "http://x")),
                Arguments.of("TURN_URLS", Map.of("TURN_URLS", "stun:turn.example.org:3478")),
                // TURN over TLS is TCP; transport=udp would mean DTLS, which neither browsers nor the shipped coturn
                // speak
                Arguments.of(
                        "TURN_URLS",
                        Map.of("TURN_URLS", "turn:t.example.org:3478,turns:t.example.org:443?transport=udp")),
                Arguments.of("AUTH_JWT_PUBLIC_KEY", Map.of("AUTH_JWT_ALGORITHM", "RS256")),
                Arguments.of(
                        "AUTH_JWT_PUBLIC_KEY", Map.of("AUTH_JWT_ALGORITHM", "RS256", "AUTH_JWT_PUBLIC_KEY", "garbage")),
                Arguments.of(
                        "AUTH_JWT_PUBLIC_KEY",
                        Map.of("AUTH_JWT_ALGORITHM", "ES256", "AUTH_JWT_PUBLIC_KEY", PEM_GARBAGE)),
                Arguments.of("AUTH_JWT_SECRET", Map.of("AUTH_JWT_ALGORITHM", "HS256")),
                Arguments.of("AUTH_JWT_ALGORITHM", Map.of("AUTH_JWT_ALGORITHM", "none")),
                Arguments.of("PORT", Map.of("PORT", "eighty")),
                Arguments.of("PASSWORD_ROOMS_PER_MINUTE", Map.of("PASSWORD_ROOMS_PER_MINUTE", "0")),
                Arguments.of("PASSWORD_ROOMS_PER_MINUTE", Map.of("PASSWORD_ROOMS_PER_MINUTE", "lots")),
                Arguments.of("LOG_FORMAT", Map.of("LOG_FORMAT", "xml")),
                Arguments.of("LOG_LEVEL", Map.of("LOG_LEVEL", "verbose")),
                // the logging back end starts before the check: a bad value must not make it print anything first
                Arguments.of("LOG_LEVEL", Map.of("LOG_LEVEL", "everything", "LOG_FORMAT", "json")));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badSettings")
    void badSettingExitsNonZeroWithOneLineNamingIt(String variable, Map<String, String> env) throws Exception {
        Exit exit = run(env);
        assertNotEquals(0, exit.code(), "exit status; output: " + exit.lines());
        assertOneLineNaming(variable, exit);
    }

    @Test
    void portInUseExitsNonZeroNamingPort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            Exit exit = run(Map.of("PORT", String.valueOf(taken.getLocalPort())));
            assertNotEquals(0, exit.code(), "exit status; output: " + exit.lines());
            assertOneLineNaming("PORT", exit);
            assertTrue(
                    exit.lines().get(0).contains(String.valueOf(taken.getLocalPort())),
                    exit.lines().toString());
        }
    }

    /** The harness itself: a good configuration starts and keeps running (so the failures above are the settings'). */
    @Test
    void goodSettingsKeepRunning() throws Exception {
        Process process = builder(Map.of("PORT", "0")).start();
        try {
            assertEquals(false, process.waitFor(3, TimeUnit.SECONDS), "a good configuration must not exit");
        } finally {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void assertOneLineNaming(String variable, Exit exit) {
        assertEquals(1, exit.lines().size(), "exactly one line: " + exit.lines());
        assertTrue(exit.lines().get(0).contains(variable), "the line names " + variable + ": " + exit.lines());
    }

    private record Exit(int code, List<String> lines) {}

    private static Exit run(Map<String, String> env) throws IOException, InterruptedException {
        Process process = builder(env).start();
        // output is small (one line), so reading after exit cannot block on a full pipe
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            return new Exit(0, List.of("still running after 60 s"));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // an "SLF4J:" notice would come from the class path, not from the setting (none expected: Logback is the
        // provider)
        return new Exit(
                process.exitValue(),
                out.lines()
                        .filter(l -> !l.isBlank() && !l.startsWith("SLF4J: "))
                        .toList());
    }

    private static ProcessBuilder builder(Map<String, String> env) {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-Xmx128m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "app.noom.Main")
                .redirectErrorStream(true);
        Map<String, String> processEnv = builder.environment();
        processEnv.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME")); // only the case's settings count
        processEnv.put("PORT", "0");
        processEnv.put("HTTP_INSTANCES", "1");
        processEnv.putAll(env);
        return builder;
    }
}
