package app.noom.integration.errors;

import static app.noom.integration.support.RawWebSocket.*;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.RawWebSocket;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 at the frame level, with hand-made frames: text must be valid UTF-8 (else close 1007), a message assembled
 * from fragments is bounded like a single frame (close 1009), and a fragmented message within bounds is one message.
 */
class WireFramingTest {
    private static final int CEILING = 262_144;
    private static final String HELLO = "{\"type\":\"hello\",\"id\":1,\"version\":1,\"nickname\":\"Frames\"}";
    private static NoomNode node;

    @BeforeAll
    static void start() {
        node = NoomNode.start(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    private static RawWebSocket helloed() throws Exception {
        RawWebSocket ws = RawWebSocket.connect(node.port());
        assertEquals(101, ws.status(), ws.responseHead());
        ws.sendText(HELLO);
        assertEquals("welcome", new JsonObject(ws.readText()).getString("type"));
        return ws;
    }

    @Test
    void invalidUtf8InATextFrameClosesWith1007() throws Exception {
        try (RawWebSocket ws = helloed()) {
            byte[] ping = "{\"type\":\"ping\",\"id\":2,\"x\":\"??\"}".getBytes(StandardCharsets.US_ASCII);
            int at = new String(ping, StandardCharsets.US_ASCII).indexOf("??");
            ping[at] = (byte) 0xC3; // a lead byte followed by '(' is not UTF-8
            ping[at + 1] = (byte) 0x28;
            ws.sendFrame(OP_TEXT, ping, true);
            assertEquals(1007, ws.awaitCloseCode());
        }
    }

    @Test
    void invalidUtf8SplitAcrossFragmentsClosesWith1007() throws Exception {
        try (RawWebSocket ws = helloed()) {
            ws.sendFragment(
                    OP_TEXT, "{\"type\":\"ping\",\"id\":2,\"x\":\"".getBytes(StandardCharsets.US_ASCII), false, false);
            ws.sendFragment(
                    OP_CONTINUATION, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, false, false); // a surrogate
            ws.sendFragment(OP_CONTINUATION, "\"}".getBytes(StandardCharsets.US_ASCII), true, true);
            assertEquals(1007, ws.awaitCloseCode());
        }
    }

    @Test
    void fragmentedMessageAboveTheCeilingClosesWith1009() throws Exception {
        try (RawWebSocket ws = helloed()) {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'p');
            ws.sendFragment(OP_TEXT, "{\"type\":\"ping\",\"pad\":\"".getBytes(StandardCharsets.US_ASCII), false, false);
            for (int sent = 0; sent <= CEILING; sent += chunk.length)
                ws.sendFragment(OP_CONTINUATION, chunk, false, true);
            assertEquals(1009, ws.awaitCloseCode());
        }
    }

    @Test
    void fragmentedMessageWithinBoundsIsOneMessage() throws Exception {
        try (RawWebSocket ws = helloed()) {
            String ping = "{\"type\":\"ping\",\"id\":\"h\u00e9llo \u2603\"}";
            byte[] bytes = ping.getBytes(StandardCharsets.UTF_8);
            int cut = ping.indexOf("\u00e9") + 1; // inside the two-byte é: fragments need not end on a character
            ws.sendFragment(OP_TEXT, Arrays.copyOfRange(bytes, 0, cut), false, false);
            ws.sendFragment(OP_CONTINUATION, Arrays.copyOfRange(bytes, cut, bytes.length), true, true);
            JsonObject pong = new JsonObject(ws.readText());
            assertEquals("pong", pong.getString("type"), pong::encode);
            assertEquals("h\u00e9llo \u2603", pong.getString("re"), "one message, decoded across the cut");
        }
    }
}
