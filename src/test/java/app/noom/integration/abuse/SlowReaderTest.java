package app.noom.integration.abuse;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RawWebSocket;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that completes the handshake, says hello, joins, and then never reads again, while a peer floods it with
 * directed signals (60 KB each, the cheapest way to push many bytes at one member). The node must cut it off on its
 * own — the client reads nothing until the end — and must not have held more for it than its bounds: what the
 * client can still read afterwards is at most the kernel's socket buffers plus the transport queue (1 MiB) plus the
 * slow-consumer allowance (4 MiB), although far more was accepted for it. Meanwhile a bystander in the same room keeps
 * getting fast answers.
 */
@ExtendWith(VertxExtension.class)
class SlowReaderTest {
    private static final int PAYLOAD_CHARS = 60_000;
    private static final long FLOOD_BYTES = 64L << 20; // far beyond every bound below
    private static final Duration CUT_OFF_WITHIN = Duration.ofSeconds(15);

    @Test
    void clientThatStopsReadingIsCutOffWithBoundedMemory(Vertx vertx) throws Exception {
        // signals: 1000/s so the flood is quick; the default (200/s) would only make it take longer
        try (NoomNode node = NoomNode.start(Map.of("RATE_SIGNALS_PER_SECOND", "1000", "RATE_SIGNALS_BURST", "1000"))) {
            String room = "slow-" + System.nanoTime();
            RawWebSocket slow =
                    RawWebSocket.connect(node.port(), "/signal", Map.of(), 4096); // tiny window, no auto-tuning
            assertEquals(101, slow.status(), slow.responseHead());
            slow.sendText("{\"type\":\"hello\",\"id\":1,\"version\":1,\"nickname\":\"Sloth\"}");
            String slowId = new JsonObject(slow.readText()).getString("sessionId");
            slow.sendText("{\"type\":\"join\",\"id\":2,\"room\":\"" + room + "\"}");
            assertEquals("joined", new JsonObject(slow.readText()).getString("type"));
            // from here on the slow client reads nothing until the node has dealt with it

            ProtocolClient flooder = Transport.WEBSOCKET.connect(vertx, node.port());
            ProtocolClient bystander = Transport.WEBSOCKET.connect(vertx, node.port());
            flooder.hello("Flood");
            bystander.hello("Bystander");
            flooder.join(room);
            bystander.join(room);

            JsonObject payload =
                    new JsonObject().put("type", "offer").put("sdp", "v=0\r\n" + "a".repeat(PAYLOAD_CHARS));
            long started = System.nanoTime();
            long acceptedBytes = 0;
            long refusedAfterCutOff = 0;
            long worstBystanderMillis = 0;
            int sent = 0;
            boolean cutOff = false;
            while (!cutOff && System.nanoTime() - started < CUT_OFF_WITHIN.toNanos()) {
                for (int i = 0; i < 50; i++) {
                    flooder.send(msg("signal")
                            .put("id", "s" + sent++)
                            .put("room", room)
                            .put("to", slowId)
                            .put("kind", "offer")
                            .put("payload", payload));
                }
                String lastId = "s" + (sent - 1);
                flooder.next(m -> lastId.equals(m.getValue("re")), Duration.ofSeconds(30));
                for (JsonObject answer : drainAnswers(flooder)) {
                    if ("ack".equals(answer.getString("type"))) acceptedBytes += PAYLOAD_CHARS;
                    else if ("unknown_member".equals(answer.getString("code"))) refusedAfterCutOff++;
                    else if (!"rate_limited".equals(answer.getString("code"))) fail("unexpected answer " + answer);
                }
                long t0 = System.nanoTime();
                assertEquals("pong", bystander.request(msg("ping")).getString("type"));
                worstBystanderMillis =
                        Math.max(worstBystanderMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                cutOff = bystander.seen().stream()
                        .anyMatch(m ->
                                "member-left".equals(m.getString("type")) && slowId.equals(m.getString("memberId")));
            }
            long cutOffMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(
                    cutOff,
                    "the node did not cut off a client that stopped reading within " + CUT_OFF_WITHIN + " (accepted "
                            + acceptedBytes + " bytes for it)");
            // once cut off, the session is gone: nothing more is accepted (or kept) for it
            flooder.expectError(
                    msg("signal")
                            .put("room", room)
                            .put("to", slowId)
                            .put("kind", "offer")
                            .put("payload", new JsonObject()),
                    "unknown_member");

            // now read what the node had already handed to the socket: then the connection ends (4008 close frame, or
            // the
            // TCP close that follows it when the client could not even take the close frame)
            Integer closeCode = null;
            slow.setReadTimeout(10_000);
            try {
                while (closeCode == null) {
                    RawWebSocket.Frame frame = slow.readFrame();
                    if (frame.opcode() == RawWebSocket.OP_CLOSE) closeCode = frame.closeCode();
                }
            } catch (EOFException | SocketException e) {
                // TCP close (or reset) without a close frame: equally a cut-off
            }
            long delivered = slow.bytesRead();
            long bound =
                    kernelSendBufferMax() + (1L << 20) + (4L << 20) + (2L << 20); // + 2 MiB slack (frames, reader side)
            System.out.printf(
                    "slow reader: cut off after %d ms; %d signals sent, %d bytes accepted for it; it could still"
                            + " read %d bytes (bound %d), close code %s; bystander worst ping %d ms%n",
                    cutOffMillis, sent, acceptedBytes, delivered, bound, closeCode, worstBystanderMillis);
            assertTrue(closeCode == null || closeCode == 4008, "close code " + closeCode);
            assertTrue(
                    delivered <= bound,
                    "the node held " + delivered + " bytes for a client that did not read (bound " + bound + ")");
            assertTrue(acceptedBytes > delivered, "more was accepted for the slow client than it could ever get");
            assertTrue(worstBystanderMillis < 2_000, "bystander ping took " + worstBystanderMillis + " ms");
            assertEquals("pong", bystander.request(msg("ping")).getString("type"));
            slow.close();
            flooder.close();
            bystander.close();
        }
    }

    /** Answers (replies and errors) queued so far, consumed; pushes (member-left …) stay for the other checks. */
    private static java.util.List<JsonObject> drainAnswers(ProtocolClient client) {
        java.util.List<JsonObject> answers = new java.util.ArrayList<>();
        while (true) {
            try {
                answers.add(client.next(
                        m -> m.containsKey("re") || "error".equals(m.getString("type")), Duration.ofMillis(1)));
            } catch (AssertionError none) {
                return answers;
            }
        }
    }

    /** The most the kernel may buffer on the node's side of a TCP connection (auto-tuned up to tcp_wmem's maximum). */
    private static long kernelSendBufferMax() throws IOException {
        Path wmem = Path.of("/proc/sys/net/ipv4/tcp_wmem");
        if (!Files.exists(wmem)) return 4L << 20;
        String[] values = Files.readAllLines(wmem).get(0).trim().split("\\s+"); // not readString: /proc sizes are 0
        return Long.parseLong(values[values.length - 1]);
    }
}
