package app.noom.integration.metrics;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /metrics is valid Prometheus exposition (checked by promtool) and its series follow what clients do. */
@ExtendWith(VertxExtension.class)
class MetricsEndpointTest {

    @Test
    void metricsParseAndMoveAsClientsJoinTalkAndLeave(Vertx vertx) throws Exception {
        try (NoomNode node = NoomNode.start(Map.of())) {
            HttpClient http = vertx.createHttpClient();
            String before = scrape(http, node);
            assertEquals(0.0, value(before, "noom_sessions"));
            assertPromtoolAccepts(before);

            String room = "metrics-" + System.nanoTime();
            ProtocolClient ada = Transport.WEBSOCKET.connect(vertx, node.port());
            ProtocolClient grace = Transport.WEBSOCKET.connect(vertx, node.port());
            ada.hello("Ada");
            grace.hello("Grace");
            ada.join(room);
            grace.join(room);
            ada.request(msg("chat").put("room", room).put("text", "counted"));
            grace.expectError(msg("join").put("room", room), "already_in_room");

            String during = scrape(http, node);
            assertEquals(2.0, value(during, "noom_sessions"));
            assertEquals(1.0, value(during, "noom_rooms"));
            assertEquals(2.0, value(during, "noom_room_members"));
            assertEquals(1.0, value(during, "noom_messages_in_total{type=\"chat\"}"));
            assertEquals(2.0, value(during, "noom_messages_out_total{type=\"chat\"}"), "the chat reached both members");
            assertEquals(1.0, value(during, "noom_errors_total{code=\"already_in_room\"}"));
            assertTrue(
                    value(during, "noom_relay_latency_seconds_count{path=\"local\"}") >= 1, "relay latency is sampled");
            assertPromtoolAccepts(during);

            ada.request(msg("bye"));
            grace.request(msg("bye"));
            ada.awaitClosed();
            grace.awaitClosed();
            String after = scrape(http, node);
            assertEquals(0.0, value(after, "noom_rooms"));
            assertEquals(0.0, value(after, "noom_sessions"));
        }
    }

    /** promtool must parse everything; its naming lint must have nothing to say about our own noom_* series. */
    private static void assertPromtoolAccepts(String exposition) throws IOException, InterruptedException {
        Process promtool = new ProcessBuilder("promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        promtool.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String report = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        assertTrue(
                promtool.exitValue() == 0 || promtool.exitValue() == 3, "promtool could not parse /metrics: " + report);
        List<String> ours = report.lines()
                .filter(l -> l.startsWith("noom_") || l.contains("error"))
                .toList();
        assertTrue(ours.isEmpty(), "promtool complaints about noom metrics: " + ours);
    }

    private static double value(String exposition, String series) {
        Pattern line = Pattern.compile("^" + Pattern.quote(series) + "\\s+(\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(exposition);
        assertTrue(
                m.find(),
                () -> series + " missing from /metrics:\n"
                        + exposition.lines().filter(l -> l.startsWith("noom_")).collect(Collectors.joining("\n")));
        return Double.parseDouble(m.group(1));
    }

    private static String scrape(HttpClient http, NoomNode node) throws Exception {
        return http.request(HttpMethod.GET, node.port(), "127.0.0.1", "/metrics")
                .compose(req -> req.send())
                .compose(resp -> resp.body())
                .map(Object::toString)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }
}
