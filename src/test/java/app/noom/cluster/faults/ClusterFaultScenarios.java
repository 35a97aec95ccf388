package app.noom.cluster.faults;

import static app.noom.cluster.faults.FaultChecks.*;
import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.BlinkingProxy;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis and two nodes, faulted the ways machines fail — a node SIGKILLed, frozen, partitioned from Redis, Redis
 * restarted — with what clients must see each time. Run against containers ({@link ContainerClusterFaultsTest}) where
 * a Docker engine exists, and against local processes ({@link ProcessClusterFaultsTest}) everywhere.
 */
@ExtendWith(VertxExtension.class)
abstract class ClusterFaultScenarios {
    /** Ghosts of a dead node are gone within 10 s (docs/ARCHITECTURE.md, I3; the sweeper itself takes 5–7 s). */
    static final Duration SWEEP_BOUND = Duration.ofSeconds(10);
    /** Shorter than the earliest moment the other node could presume a frozen one dead (alive TTL 5 s, beat 2 s). */
    static final Duration SHORT_FREEZE = Duration.ofSeconds(2);

    private static final int A = 0;
    private static final int B = 1;

    protected abstract FaultyCluster start(String name);

    interface Scenario {
        void run(FaultyCluster cluster) throws Exception;
    }

    /** Runs {@code scenario} on a fresh cluster; a failure carries both nodes' last log lines. */
    private void on(String name, Scenario scenario) throws Exception {
        try (FaultyCluster cluster = start(name + "-" + Long.toString(System.nanoTime() % 1_000_000, 36))) {
            try {
                scenario.run(cluster);
            } catch (AssertionError | Exception e) {
                throw new AssertionError(
                        e.getMessage() + "\non " + cluster.describe() + "\n--- node 0:\n" + cluster.logs(A)
                                + "\n--- node 1:\n" + cluster.logs(B),
                        e);
            }
        }
    }

    private static ProtocolClient client(Vertx vertx, int port, String nickname) {
        ProtocolClient client = Transport.WEBSOCKET.connect(vertx, port);
        client.hello(nickname);
        return client;
    }

    /** {@code first} and {@code second} share {@code room}; returns once each knows the other. */
    private static void meet(ProtocolClient first, ProtocolClient second, String room) {
        first.join(room);
        assertTrue(second.join(room).getJsonArray("members").stream()
                .map(JsonObject.class::cast)
                .anyMatch(m -> first.sessionId.equals(m.getString("id"))));
        first.next(m -> "member-joined".equals(m.getString("type"))
                && second.sessionId.equals(m.getJsonObject("member").getString("id")));
    }

    private static List<String> labels(String prefix, int count) {
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= count; i++) labels.add(prefix + " " + i);
        return labels;
    }

    private static void exchange(ProtocolClient one, ProtocolClient other, String room, String label) {
        signal(one, other, room, label + " →");
        expectSignals(other, List.of(label + " →"), ProtocolClient.TIMEOUT);
        signal(other, one, room, label + " ←");
        expectSignals(one, List.of(label + " ←"), ProtocolClient.TIMEOUT);
    }

    @Test
    void sigkilledNodesClientsResumeOnTheSurvivorAndItsGhostsAreSwept(Vertx vertx) throws Exception {
        on("kill", c -> {
            String room = "kill";
            ProtocolClient survivor = client(vertx, c.port(B), "Survivor");
            ProtocolClient phoenix = Transport.WEBSOCKET.connect(vertx, c.port(A));
            String token = phoenix.hello("Phoenix").getString("resumeToken");
            String phoenixId = phoenix.sessionId;
            meet(survivor, phoenix, room);
            ProtocolClient ghost = client(vertx, c.port(A), "Ghost");
            ghost.join(room);
            survivor.next(m -> "member-joined".equals(m.getString("type"))
                    && ghost.sessionId.equals(m.getJsonObject("member").getString("id")));
            phoenix.next(m -> "member-joined".equals(m.getString("type")));
            long lastSeq = lastSeq(phoenix);

            long killedAt = System.nanoTime();
            c.sigkill(A);
            phoenix.awaitClosed();
            ProtocolClient back = Transport.WEBSOCKET.connect(vertx, c.port(B));
            JsonObject welcome = resume(back, "Phoenix", token, lastSeq);
            assertTrue(welcome.getBoolean("resumed"), () -> "not resumed on the survivor: " + welcome.encode());
            assertEquals(phoenixId, welcome.getString("sessionId"));

            Duration left = SWEEP_BOUND.minusNanos(System.nanoTime() - killedAt);
            survivor.next(
                    m -> "member-left".equals(m.getString("type")) && ghost.sessionId.equals(m.getString("memberId")),
                    left.isNegative() ? Duration.ZERO : left);
            assertTrue(System.nanoTime() - killedAt < SWEEP_BOUND.toNanos(), "the ghost outlived the sweep bound");
            assertNoLeaveOf(survivor, phoenixId);
            exchange(survivor, back, room, "after the sweep");
            ProtocolClient late = client(vertx, c.port(B), "Late");
            assertEquals(
                    2, late.join(room).getJsonArray("members").size(), "exactly the survivor and the resumed member");
        });
    }

    @Test
    void frozenNodeDeliversEverythingSentToItsMembersOnceItWakes(Vertx vertx) throws Exception {
        on("freeze", c -> {
            String room = "freeze";
            ProtocolClient sender = client(vertx, c.port(B), "Sender");
            ProtocolClient sleeper = client(vertx, c.port(A), "Sleeper");
            meet(sender, sleeper, room);
            List<String> labels = labels("while frozen", 5);

            long frozenAt = System.nanoTime();
            c.freeze(A);
            try {
                for (String label : labels) signal(sender, sleeper, room, label);
                Thread.sleep(
                        Math.max(0, SHORT_FREEZE.toMillis() - (System.nanoTime() - frozenAt) / 1_000_000)); // the fault
            } finally {
                c.thaw(A);
            }
            expectSignals(sleeper, labels, ProtocolClient.TIMEOUT);
            exchange(sender, sleeper, room, "awake");
            assertNoLeaveOf(sender, sleeper.sessionId);
            assertNoLeaveOf(sleeper, sender.sessionId);
        });
    }

    @Test
    void frozenNodesMemberMovesToTheOtherNodeWithEverythingSentMeanwhile(Vertx vertx) throws Exception {
        on("move", c -> {
            String room = "move";
            BlinkingProxy path = BlinkingProxy.to(vertx, c.port(A)); // the mover's own network path to node A
            ProtocolClient sender = client(vertx, c.port(B), "Sender");
            ProtocolClient mover = Transport.WEBSOCKET.connect(vertx, path.port());
            String token = mover.hello("Mover").getString("resumeToken");
            String moverId = mover.sessionId;
            meet(sender, mover, room);
            long lastSeq = lastSeq(mover);
            List<String> labels = labels("sent to the frozen node", 5);

            c.freeze(A);
            try {
                for (String label : labels) signal(sender, mover, room, label);
                path.cutAll(); // the client gives up on its silent node: its connection drops, no close handshake
                mover.awaitClosed();
            } finally {
                c.thaw(A);
            }
            ProtocolClient moved = Transport.WEBSOCKET.connect(vertx, c.port(B));
            JsonObject welcome = resume(moved, "Mover", token, lastSeq);
            assertTrue(welcome.getBoolean("resumed"), () -> "not resumed on the other node: " + welcome.encode());
            assertEquals(moverId, welcome.getString("sessionId"));
            expectSignals(moved, labels, ProtocolClient.TIMEOUT);
            assertTrue(welcome.getBoolean("replayComplete"), welcome::encode);
            exchange(sender, moved, room, "moved");
            assertNoLeaveOf(sender, moverId);
            path.close();
        });
    }

    @Test
    void nodeCutOffFromRedisIsNotReadyUntilItIsBackAndTheRoomThenWorks(Vertx vertx) throws Exception {
        on("partition", c -> {
            String room = "partition";
            ProtocolClient b1 = client(vertx, c.port(B), "B1");
            ProtocolClient a1 = client(vertx, c.port(A), "A1");
            meet(b1, a1, room);

            c.cutFromRedis(A);
            try {
                awaitTrue(
                        Duration.ofSeconds(15),
                        () -> readiness(c.port(A)) == 503,
                        "the cut-off node answers 503 on /ready");
                assertEquals(200, readiness(c.port(B)), "the node that still reaches Redis stays ready");
                a1.expectError(msg("chat").put("room", room).put("text", "into the void"), "relay_unavailable");
                awaitTrue(
                        Duration.ofSeconds(20),
                        () -> b1.seen().stream()
                                .anyMatch(m -> "member-left".equals(m.getString("type"))
                                        && a1.sessionId.equals(m.getString("memberId"))),
                        "the other node sweeps the cut-off node's member");
            } finally {
                c.reconnectToRedis(A);
            }
            awaitTrue(
                    Duration.ofSeconds(30),
                    () -> readiness(c.port(A)) == 200,
                    "the node is ready again once reconnected");
            PartitionedMembers.check(a1, b1, room);
            assertTrue(PartitionedMembers.toldRemoved(a1), "swept while cut off: A1 is told it is out");
            awaitTrue(Duration.ofSeconds(20), () -> countOn(b1, room) == 1, "presence agrees: A1 is not silently back");
            ProtocolClient a2 = client(vertx, c.port(A), "A2");
            ProtocolClient b2 = client(vertx, c.port(B), "B2");
            meet(b2, a2, "after-" + room);
            exchange(b2, a2, "after-" + room, "healed");
        });
    }

    @Test
    void nodesReconnectAfterRedisRestartsAndTheRoomWorksAgain(Vertx vertx) throws Exception {
        on("redis", c -> {
            String room = "restart";
            ProtocolClient b1 = client(vertx, c.port(B), "B1");
            ProtocolClient a1 = client(vertx, c.port(A), "A1");
            meet(b1, a1, room);

            c.stopRedis();
            awaitTrue(
                    Duration.ofSeconds(15),
                    () -> readiness(c.port(A)) == 503 && readiness(c.port(B)) == 503,
                    "both nodes answer 503 without Redis");
            c.startRedis();
            awaitTrue(
                    Duration.ofSeconds(30),
                    () -> readiness(c.port(A)) == 200 && readiness(c.port(B)) == 200,
                    "both nodes ready again");
            awaitTrue(Duration.ofSeconds(20), () -> countOn(b1, room) == 2, "presence re-published into the new Redis");
            exchange(b1, a1, room, "restarted");
            assertEquals(
                    "ack",
                    a1.request(msg("chat").put("room", room).put("text", "back"))
                            .getString("type"));
            assertEquals(
                    "back", b1.next(m -> "chat".equals(m.getString("type"))).getString("text"));
        });
    }
}
