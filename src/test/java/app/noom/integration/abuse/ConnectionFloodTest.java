package app.noom.integration.abuse;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.http.ConnectionGate;
import app.noom.integration.support.NoomNode;
import app.noom.integration.support.RawWebSocket;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One address floods a node with TCP connections that never send a request (silent) or send its head a line at a
 * time (slowloris), from 127.0.0.2. Wanted: connections past the per-address cap are dropped at accept, the rest at
 * the request deadline, and meanwhile an established client (127.0.0.1) keeps a fast ping and /health answers.
 */
class ConnectionFloodTest {
    private static final int SESSIONS_PER_ADDRESS = 10;
    private static final int TCP_CAP = ConnectionGate.tcpCapFor(SESSIONS_PER_ADDRESS);
    private static final int SILENT = 150;
    private static final int SLOWLORIS = 50;
    private static final int DEADLINE_SECONDS = 2;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<SocketChannel> attack = new ArrayList<>();

    @AfterEach
    void letGo() {
        for (SocketChannel c : attack) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Test
    void silentAndSlowConnectionsAreCappedAndTimedOutWhileTheEstablishedClientIsServed() throws Exception {
        try (NoomNode node = NoomNode.start(Map.of(
                        "MAX_CONNECTIONS_PER_IP",
                        String.valueOf(SESSIONS_PER_ADDRESS),
                        "HTTP_REQUEST_TIMEOUT_SECONDS",
                        String.valueOf(DEADLINE_SECONDS)));
                RawWebSocket established = RawWebSocket.connect(node.port())) {
            established.sendText("{\"type\":\"hello\",\"id\":1,\"version\":1,\"nickname\":\"Steady\"}");
            assertEquals("welcome", new JsonObject(established.readText()).getString("type"));

            long started = System.nanoTime();
            for (int i = 0; i < SILENT + SLOWLORIS; i++) attack.add(open(node.port()));
            List<SocketChannel> slow = attack.subList(SILENT, attack.size());
            for (SocketChannel c : slow) write(c, "GET / HTTP/1.1\r\nHost: x\r\n");

            // while the attackers hold on (the slow ones keep sending header lines), the honest side is served
            long pingWorstNanos = 0;
            for (int round = 0; round < 5; round++) {
                for (SocketChannel c : slow) write(c, "X-Slow-" + round + ": y\r\n");
                pingWorstNanos = Math.max(pingWorstNanos, pingRoundTrip(established, round));
                HttpResponse<String> health = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), "/health during the attack");
                Thread.sleep(200); // pacing of the attack itself (a header line per round), not synchronisation
            }
            assertTrue(
                    pingWorstNanos < TimeUnit.MILLISECONDS.toNanos(500),
                    "established client's ping during the attack: " + pingWorstNanos / 1_000_000 + " ms");

            // past the cap, connections were dropped at accept; the rest must go at the request deadline
            long deadline = started + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS + 8);
            int stillOpen = attack.size();
            while (System.nanoTime() < deadline && (stillOpen = countOpen()) > 0) Thread.sleep(100);
            assertEquals(0, stillOpen, "attack connections the server still holds after the request deadline");
            pingRoundTrip(established, 99); // the established client, idle-free and upgraded, outlives the deadline
        }
    }

    @Test
    void connectionsPastTheCapAreDroppedAtOnce() throws Exception {
        try (NoomNode node = NoomNode.start(Map.of(
                "MAX_CONNECTIONS_PER_IP",
                String.valueOf(SESSIONS_PER_ADDRESS),
                "HTTP_REQUEST_TIMEOUT_SECONDS",
                "30"))) {
            for (int i = 0; i < TCP_CAP + 20; i++) attack.add(open(node.port()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int open = attack.size();
            while (System.nanoTime() < deadline && (open = countOpen()) > TCP_CAP) Thread.sleep(50);
            assertEquals(TCP_CAP, open, "connections one address holds long before the 30 s request deadline");
            HttpResponse<String> health = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/health"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), "another address is not affected");
        }
    }

    private static SocketChannel open(int port) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.2", 0));
        channel.connect(new InetSocketAddress("127.0.0.1", port));
        channel.configureBlocking(false);
        return channel;
    }

    private static void write(SocketChannel channel, String text) {
        try {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            // already dropped by the server: that is the point
        }
    }

    /** Attack connections the server has not closed: a non-blocking read returns 0 (open) or -1 / fails (closed). */
    private int countOpen() {
        int open = 0;
        ByteBuffer sink = ByteBuffer.allocate(4096);
        for (SocketChannel c : attack) {
            try {
                sink.clear();
                int n = c.read(sink);
                if (n >= 0) open++;
            } catch (IOException e) {
                // reset by the server: closed
            }
        }
        return open;
    }

    private static long pingRoundTrip(RawWebSocket ws, int round) throws IOException {
        long sent = System.nanoTime();
        ws.sendText("{\"type\":\"ping\",\"id\":\"r" + round + "\"}");
        while (true) {
            JsonObject answer = new JsonObject(ws.readText());
            if (("r" + round).equals(answer.getString("re"))) return System.nanoTime() - sent;
        }
    }
}
