package app.noom.browser;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.integration.support.WebSocketTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The compose stack the README documents, running for real (started by {@code .ci/run}), tested from the host through
 * the load balancer on 127.0.0.1 over HTTPS: the page, every node ready, two WebSocket clients on different nodes
 * exchanging signals, Prometheus seeing every node up, coturn allocating with a credential from /api/ice-servers and
 * refusing a forged one, a browser call through the load balancer, and that call surviving {@code docker stop} of a
 * node. Skipped unless {@code -Dnoom.stack.url} is set.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackSmokeTest {
    private static final List<String> NODES = List.of("noom1", "noom2");
    private static final Duration STACK_TIMEOUT = Duration.ofSeconds(90);
    private static final String TAG = "[ComposeStackSmokeTest]";
    /** Records every welcome from now on: what a reconnection got. */
    private static final String RECORD_WELCOMES = """
      window.__testWelcomes = [];
      window.noom.signaling.addEventListener("welcome", (event) => window.__testWelcomes.push({
        resumed: event.detail.resumed === true, sessionId: event.detail.sessionId, at: Date.now() }));
      """;

    private static ComposeStack stack;
    private static Vertx vertx;

    @RegisterExtension
    final Browsers browsers = Browsers.perTest().acceptingSelfSignedCertificates();

    @BeforeAll
    static void requireStack() {
        Assumptions.assumeTrue(
                ComposeStack.configured(), "no compose stack given (-D" + ComposeStack.URL_PROPERTY + ")");
        stack = ComposeStack.fromProperties();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        if (vertx != null) vertx.close();
    }

    @Test
    @Order(1)
    void pageLoadsOverHttpsAndHttpRedirectsToIt() {
        HttpResponse<String> page = stack.get(stack.https.resolve("/"));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Noom</title>"), "the web client's page");
        HttpResponse<String> plain = stack.get(stack.http.resolve("/some/path?x=1"));
        assertEquals(301, plain.statusCode(), "plain HTTP only redirects");
        assertEquals(
                stack.https.resolve("/some/path?x=1").toString(),
                plain.headers().firstValue("location").orElse(""));
        assertEquals(404, stack.get(stack.https.resolve("/metrics")).statusCode(), "metrics stay internal");
    }

    @Test
    @Order(2)
    void everyNodeIsReady() {
        for (String node : NODES) {
            Eventually.until(
                    node + " answers 200 on /ready",
                    STACK_TIMEOUT,
                    () -> stack.getInside(node, "/ready").startsWith("HTTP/1.0 200")
                            || stack.getInside(node, "/ready").startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    @Order(3)
    void clientsOnDifferentNodesShareARoomAndExchangeSignals() {
        List<WebSocketTestClient> open = new ArrayList<>();
        try {
            WebSocketTestClient ada = connect(open);
            WebSocketTestClient grace = null;
            // leastconn sends the next connection to the other node; a few tries cover a node that just turned ready
            for (int i = 0; i < 6 && grace == null; i++) {
                WebSocketTestClient candidate = connect(open);
                if (!candidate.handshakeHeader("X-Noom-Node").equals(ada.handshakeHeader("X-Noom-Node")))
                    grace = candidate;
            }
            assertTrue(grace != null, "no connection through the load balancer reached a second node");
            String room = "stack-" + System.nanoTime();
            ada.hello("Ada");
            grace.hello("Grace");
            ada.join(room);
            grace.join(room);
            assertEquals(
                    grace.sessionId,
                    ada.nextOfType("member-joined").getJsonObject("member").getString("id"));
            grace.request(msg("signal")
                    .put("room", room)
                    .put("to", ada.sessionId)
                    .put("kind", "offer")
                    .put("payload", new JsonObject().put("type", "offer").put("sdp", "v=0")));
            JsonObject offer = ada.nextOfType("signal");
            assertEquals(grace.sessionId, offer.getString("from"));
            ada.request(msg("signal")
                    .put("room", room)
                    .put("to", grace.sessionId)
                    .put("kind", "answer")
                    .put("payload", new JsonObject().put("type", "answer").put("sdp", "v=0")));
            assertEquals(ada.sessionId, grace.nextOfType("signal").getString("from"));
        } finally {
            open.forEach(WebSocketTestClient::close);
        }
    }

    @Test
    @Order(4)
    void prometheusReportsEveryNodeUp() {
        Eventually.until("Prometheus scraped every node as up", STACK_TIMEOUT, () -> {
            JsonObject answer = new JsonObject(
                    stack.get(URI.create(stack.prometheus + "/api/v1/query?query=up%7Bjob%3D%22noom%22%7D"))
                            .body());
            JsonArray result = answer.getJsonObject("data").getJsonArray("result");
            List<String> up = new ArrayList<>();
            for (int i = 0; i < result.size(); i++) {
                JsonObject series = result.getJsonObject(i);
                if ("1".equals(series.getJsonArray("value").getString(1)))
                    up.add(series.getJsonObject("metric").getString("instance"));
            }
            return up.containsAll(List.of("noom1:" + ComposeStack.METRICS_PORT, "noom2:" + ComposeStack.METRICS_PORT));
        });
    }

    @Test
    @Order(5)
    void coturnAllocatesWithAMintedCredentialAndRefusesAForgedOne() {
        JsonObject turn = turnEntry(new JsonObject(
                stack.get(stack.https.resolve("/api/ice-servers")).body()));
        String user = turn.getString("username");
        String password = turn.getString("credential");
        // -y: two allocations relay to each other; their relay addresses are loopback, which the shipped deny list
        // refuses as peers (403) — after the allocations succeeded, which is what this checks
        String genuine = stack.run(
                        "exec",
                        "-T",
                        "coturn",
                        "turnutils_uclient",
                        "-u",
                        user,
                        "-w",
                        password,
                        "-y",
                        "-n",
                        "1",
                        "-m",
                        "1",
                        "-p",
                        "3478",
                        "127.0.0.1")
                .output();
        assertFalse(genuine.contains("Cannot complete Allocation"), "minted credential refused:\n" + genuine);
        assertTrue(
                genuine.contains("403 (Forbidden IP)"), "allocated, then the loopback peer was refused:\n" + genuine);
        String forged = stack.run(
                        "exec",
                        "-T",
                        "coturn",
                        "turnutils_uclient",
                        "-u",
                        user,
                        "-w",
                        password + "x",
                        "-y",
                        "-n",
                        "1",
                        "-m",
                        "1",
                        "-p",
                        "3478",
                        "127.0.0.1")
                .output();
        assertTrue(forged.contains("Cannot complete Allocation"), "a forged credential must be refused:\n" + forged);
    }

    @Test
    @Order(6)
    void browserCallThroughTheLoadBalancerSurvivesDockerStopOfANode() {
        String base = stack.https.toString();
        List<CallPage> pages = browsers.launch("Ada", "Grace");
        String room = "stack-call-" + System.nanoTime();
        CallPage ada = pages.get(0).join(base, room);
        CallPage grace = pages.get(1).join(base, room);
        ada.assertDecodesVideoFrom(grace);
        grace.assertDecodesVideoFrom(ada);

        String busiest = stack.sessionsOn("noom1") >= stack.sessionsOn("noom2") ? "noom1" : "noom2";
        String survivor = busiest.equals("noom1") ? "noom2" : "noom1";
        int moving = stack.sessionsOn(busiest);
        assertTrue(moving > 0, "the browsers' sessions are on the nodes");
        long welcomesBefore = welcomes(ada) + welcomes(grace);
        String adaId = ada.memberId();
        String graceId = grace.memberId();
        ada.script(RECORD_WELCOMES);
        grace.script(RECORD_WELCOMES);
        System.out.printf("%s stopping %s (%d sessions; Ada %s, Grace %s)%n", TAG, busiest, moving, adaId, graceId);
        long adaFrames = ada.framesDecodedFrom(grace);
        long graceFrames = grace.framesDecodedFrom(ada);

        CompletableFuture<String> stopping =
                CompletableFuture.supplyAsync(() -> stack.compose("stop", busiest)); // SIGTERM
        try {
            Eventually.until(
                    "the clients of " + busiest + " reconnect to " + survivor,
                    STACK_TIMEOUT,
                    () -> welcomes(ada) + welcomes(grace) >= welcomesBefore + moving
                            && connected(ada)
                            && connected(grace));
            stopping.join();
            System.out.printf(
                    "%s after the stop: Ada %s welcomes %s; Grace %s welcomes %s%n",
                    TAG,
                    ada.memberId(),
                    ada.script("return window.__testWelcomes;"),
                    grace.memberId(),
                    grace.script("return window.__testWelcomes;"));
            assertEquals(2, stack.sessionsOn(survivor), "both sessions on the survivor");
            assertEquals(adaId, ada.memberId(), "Ada's session resumed (same member id)");
            assertEquals(graceId, grace.memberId(), "Grace's session resumed (same member id)");
            Eventually.until("Ada keeps decoding Grace's video", () -> ada.framesDecodedFrom(grace) > adaFrames);
            Eventually.until("Grace keeps decoding Ada's video", () -> grace.framesDecodedFrom(ada) > graceFrames);
            ada.assertDecodesVideoFrom(grace);
            grace.assertDecodesVideoFrom(ada);
        } catch (RuntimeException | AssertionError e) {
            System.out.printf(
                    "%s failed: Ada %s connected=%s welcomes %s; Grace %s connected=%s welcomes %s%n",
                    TAG,
                    ada.memberId(),
                    connected(ada),
                    ada.script("return window.__testWelcomes;"),
                    grace.memberId(),
                    connected(grace),
                    grace.script("return window.__testWelcomes;"));
            throw e;
        } finally {
            stopping.exceptionally(e -> "")
                    .join(); // the node stays stopped: this is the last test, CI tears the stack down
        }
    }

    private static long welcomes(CallPage page) {
        return (Long) page.script("return window.noom.signaling.welcomeCount;");
    }

    private static boolean connected(CallPage page) {
        return Boolean.TRUE.equals(page.script("return window.noom.signaling.connected;"));
    }

    private static JsonObject turnEntry(JsonObject iceServers) {
        JsonArray servers = iceServers.getJsonArray("iceServers");
        for (int i = 0; i < servers.size(); i++) {
            if (servers.getJsonObject(i).containsKey("username")) return servers.getJsonObject(i);
        }
        throw new AssertionError("no TURN entry in " + iceServers.encode());
    }

    private static WebSocketTestClient connect(List<WebSocketTestClient> open) {
        WebSocketTestClient client =
                WebSocketTestClient.connectTrustingAnyCertificate(vertx, stack.https.getHost(), stack.https.getPort());
        open.add(client);
        assertNotEquals(null, client.handshakeHeader("X-Noom-Node"), "the load balancer names the node");
        return client;
    }
}
