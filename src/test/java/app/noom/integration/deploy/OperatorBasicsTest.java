package app.noom.integration.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.Main;
import app.noom.RunningNode;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** --version, --help and the build-info metric, from the real process and a real node. */
class OperatorBasicsTest {

    private static String[] run(String argument) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), "app.noom.Main", argument)
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new String[] {String.valueOf(process.exitValue()), out};
    }

    @Test
    void versionPrintsVersionAndCommitAndExitsZero() throws Exception {
        String[] result = run("--version");
        assertEquals("0", result[0], result[1]);
        assertTrue(result[1].matches("(?s).*Noom \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit [^)]+\\).*"), result[1]);
    }

    @Test
    void helpListsTheSettingsAndExitsZero() throws Exception {
        String[] result = run("--help");
        assertEquals("0", result[0], result[1]);
        assertTrue(
                result[1].contains("REDIS_URL") && result[1].contains("TURN_SECRET") && result[1].contains("--version"),
                result[1]);
    }

    @Test
    void anUnknownArgumentExitsNonZero() throws Exception {
        String[] result = run("--frobnicate");
        assertTrue(!"0".equals(result[0]) && result[1].contains("--frobnicate"), result[1]);
    }

    @Test
    void metricsCarryTheBuildInfo() throws Exception {
        RunningNode node = Main.start(Map.of("PORT", "0", "STUN_URLS", ""))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        try {
            String metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertTrue(
                    metrics.matches(
                            "(?s).*noom_build_info\\{[^}]*commit=\"[^\"]+\"[^}]*version=\"[^\"]+\"[^}]*} 1(\\.0)?\\b.*"),
                    "noom_build_info{commit,version} 1");
        } finally {
            node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
