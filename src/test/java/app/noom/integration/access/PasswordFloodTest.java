package app.noom.integration.access;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.RawWebSocket;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One address creating password rooms (a PBKDF2 hash each) must not slow everyone else down: creations are limited per
 * address, waiting hashes are bounded ({@code password_busy}) and served fairly across addresses, and the event
 * loops stay free. Clients come from distinct loopback addresses (127.0.0.x), which the node counts separately.
 */
class PasswordFloodTest {
    private final List<RawWebSocket> sockets = new ArrayList<>();
    private int nextId = 1;

    @AfterEach
    void closeSockets() {
        sockets.forEach(RawWebSocket::close);
    }

    @Test
    void anAddressCreatesOnlyItsAllowanceOfPasswordRoomsAMinute() throws Exception {
        try (NoomNode node = NoomNode.start(Map.of("PASSWORD_ROOMS_PER_MINUTE", "2"))) {
            String prefix = "limit-" + System.nanoTime();
            assertEquals(
                    "joined",
                    join(session(node, "127.0.0.3"), prefix + "-1", "pw").getString("type"));
            assertEquals(
                    "joined",
                    join(session(node, "127.0.0.3"), prefix + "-2", "pw").getString("type"));
            JsonObject third = join(session(node, "127.0.0.3"), prefix + "-3", "pw");
            assertEquals("room_creation_throttled", third.getString("code"), third::encode);

            // what stays open to that address: rooms without a password, and existing password rooms
            assertEquals(
                    "joined",
                    join(session(node, "127.0.0.3"), prefix + "-open", null).getString("type"));
            assertEquals(
                    "joined",
                    join(session(node, "127.0.0.3"), prefix + "-1", "pw").getString("type"));
            // and another address has its own allowance
            assertEquals(
                    "joined",
                    join(session(node, "127.0.0.4"), prefix + "-3", "pw").getString("type"));
        }
    }

    @Test
    void waitingPasswordWorkIsBoundedPerAddressAndOthersStillGetIn() throws Exception {
        try (NoomNode node = NoomNode.start(Map.of("PASSWORD_ROOMS_PER_MINUTE", "1000"))) {
            String prefix = "busy-" + System.nanoTime();
            int attackers = 8 + Runtime.getRuntime().availableProcessors() / 2 + 4; // waiting places + threads + 4
            List<RawWebSocket> flood = new ArrayList<>();
            for (int i = 0; i < attackers; i++) flood.add(session(node, "127.0.0.5"));
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < attackers; i++) ids.add(sendJoin(flood.get(i), prefix + "-" + i, "pw"));
            JsonObject other = join(session(node, "127.0.0.6"), prefix + "-other", "pw");
            Map<String, Integer> outcomes = new TreeMap<>();
            for (int i = 0; i < attackers; i++) {
                JsonObject answer = answer(flood.get(i), ids.get(i));
                outcomes.merge(
                        answer.getString("type")
                                + ("error".equals(answer.getString("type")) ? ":" + answer.getString("code") : ""),
                        1,
                        Integer::sum);
            }
            System.out.println("password flood: " + attackers + " creations at once from one address → " + outcomes);
            assertTrue(outcomes.getOrDefault("error:password_busy", 0) >= 1, outcomes::toString);
            assertEquals(
                    attackers,
                    outcomes.getOrDefault("error:password_busy", 0) + outcomes.getOrDefault("joined", 0),
                    outcomes::toString);
            assertEquals("joined", other.getString("type"), "another address is not refused: " + other.encode());
        }
    }

    /**
     * A legitimate password join while another address floods the node with password rooms: it waits for the hash
     * already running, not behind the flood (before: 45 hashes on 20 worker threads, ≈ 20 times as long), and pings are
     * answered meanwhile. Bounds are relative to the same join on the quiet node (after warm-up: the JIT compiles the
     * hash), so a slower or busier machine does not change the verdict.
     */
    @Test
    void aLegitimatePasswordJoinBarelyWaitsWhileAnotherAddressFloods() throws Exception {
        try (NoomNode node = NoomNode.start(Map.of("MAX_MEMBERS_PER_ROOM", "20"))) {
            String office = "office-" + System.nanoTime();
            join(session(node, "127.0.0.7"), office, "correct horse"); // the host
            RawWebSocket bystander = session(node, "127.0.0.8");
            List<Long> quiet = new ArrayList<>();
            for (int i = 0; i < 8; i++) quiet.add(timedJoin(session(node, "127.0.0.9"), office, "correct horse"));
            long quietMillis = quiet.subList(3, 8).stream().sorted().toList().get(2); // median once warm

            List<RawWebSocket> flood = new ArrayList<>();
            for (int i = 0; i < 45; i++) flood.add(session(node, "127.0.0.10"));
            for (int i = 0; i < flood.size(); i++) sendJoin(flood.get(i), office + "-flood-" + i, "pw");
            long pingMillis = timedPing(bystander);
            long floodedMillis = timedJoin(session(node, "127.0.0.9"), office, "correct horse");
            System.out.printf(
                    "password flood: legitimate join %d ms quiet (median of the last 5 of %s), %d ms during the"
                            + " flood; a ping meanwhile %d ms%n",
                    quietMillis, quiet, floodedMillis, pingMillis);
            assertTrue(
                    floodedMillis < 6 * quietMillis + 200,
                    "a password join took " + floodedMillis + " ms during the" + " flood, " + quietMillis
                            + " ms without it");
            assertTrue(
                    pingMillis < quietMillis + 200,
                    "a ping took " + pingMillis + " ms during the flood; one password" + " hash takes about "
                            + quietMillis + " ms");
        }
    }

    private RawWebSocket session(NoomNode node, String from) throws IOException {
        RawWebSocket ws = RawWebSocket.connectFrom(from, node.port(), "/signal", Map.of(), 0);
        sockets.add(ws);
        assertEquals(101, ws.status(), ws::responseHead);
        ws.setReadTimeout((int) TimeUnit.SECONDS.toMillis(120));
        int id = nextId++;
        ws.sendText(JsonObject.of("type", "hello", "id", id, "version", 1, "nickname", "p" + id)
                .encode());
        assertEquals("welcome", answer(ws, id).getString("type"));
        return ws;
    }

    private int sendJoin(RawWebSocket ws, String room, String password) throws IOException {
        int id = nextId++;
        JsonObject join = JsonObject.of("type", "join", "id", id, "room", room);
        if (password != null) join.put("password", password);
        ws.sendText(join.encode());
        return id;
    }

    private JsonObject join(RawWebSocket ws, String room, String password) throws IOException {
        return answer(ws, sendJoin(ws, room, password));
    }

    private long timedJoin(RawWebSocket ws, String room, String password) throws IOException {
        long t0 = System.nanoTime();
        JsonObject answer = join(ws, room, password);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals("joined", answer.getString("type"), answer::encode);
        return millis;
    }

    private long timedPing(RawWebSocket ws) throws IOException {
        int id = nextId++;
        long t0 = System.nanoTime();
        ws.sendText(JsonObject.of("type", "ping", "id", id).encode());
        assertEquals("pong", answer(ws, id).getString("type"));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** The answer to request {@code id}, skipping pushes. */
    private static JsonObject answer(RawWebSocket ws, int id) throws IOException {
        while (true) {
            JsonObject m = new JsonObject(ws.readText());
            if (Integer.valueOf(id).equals(m.getInteger("re"))) return m;
        }
    }
}
