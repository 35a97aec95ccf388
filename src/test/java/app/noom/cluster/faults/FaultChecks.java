package app.noom.cluster.faults;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import app.noom.integration.support.ProtocolClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** What the fault scenarios observe: readiness over HTTP, directed signals, polls with a deadline. */
final class FaultChecks {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private FaultChecks() {}

    /** {@code /ready}'s status on that port, or -1 when the node does not answer within 2 s. */
    static int readiness(int port) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void awaitTrue(Duration within, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out after " + within + " waiting until " + what);
            try {
                Thread.sleep(100); // polling interval of a poll-with-deadline, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Sends a directed signal carrying {@code label}; the sender's node must accept it ({@code ack}). */
    static void signal(ProtocolClient from, ProtocolClient to, String room, String label) {
        JsonObject answer = from.request(msg("signal")
                .put("room", room)
                .put("to", to.sessionId)
                .put("kind", "candidate")
                .put("payload", new JsonObject().put("candidate", label)));
        assertEquals("ack", answer.getString("type"), answer::encode);
    }

    /** Waits for exactly {@code labels}, in that order, among {@code to}'s signals (each once, nothing else between). */
    static void expectSignals(ProtocolClient to, List<String> labels, Duration within) {
        for (String label : labels) {
            JsonObject got = to.next(m -> "signal".equals(m.getString("type")), within);
            assertEquals(
                    label,
                    got.getJsonObject("payload").getString("candidate"),
                    () -> "signals out of order or lost: " + to.seen());
        }
    }

    /** The welcome of a resume with {@code token} after {@code lastSeq}, on a fresh connection. */
    static JsonObject resume(ProtocolClient client, String nickname, String token, long lastSeq) {
        JsonObject welcome = client.request(msg("hello")
                .put("version", 1)
                .put("nickname", nickname)
                .put("resume", new JsonObject().put("token", token).put("lastSeq", lastSeq)));
        assertEquals("welcome", welcome.getString("type"), welcome::encode);
        client.sessionId = welcome.getString("sessionId");
        return welcome;
    }

    static long lastSeq(ProtocolClient client) {
        List<JsonObject> seen = client.seen();
        for (int i = seen.size() - 1; i >= 0; i--) {
            if (seen.get(i).containsKey("seq")) return seen.get(i).getLong("seq");
        }
        fail("no sequenced message seen yet");
        return -1;
    }

    /** How many members the room list shows in {@code room}, as {@code client} sees it (-1: no answer). */
    static int countOn(ProtocolClient client, String room) {
        JsonObject rooms = client.request(msg("rooms-subscribe"));
        if (!"rooms".equals(rooms.getString("type"))) return -1;
        return rooms.getJsonArray("rooms").stream()
                .map(JsonObject.class::cast)
                .filter(r -> room.equals(r.getString("name")))
                .mapToInt(r -> r.getInteger("count"))
                .findFirst()
                .orElse(0);
    }

    static void assertNoLeaveOf(ProtocolClient watcher, String memberId) {
        assertTrue(
                watcher.seen().stream()
                        .noneMatch(m ->
                                "member-left".equals(m.getString("type")) && memberId.equals(m.getString("memberId"))),
                () -> memberId + " was removed: " + watcher.seen());
    }
}
