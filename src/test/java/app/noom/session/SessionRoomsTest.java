package app.noom.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.config.AbuseLimits;
import app.noom.config.NoomConfig;
import app.noom.fanout.Envelope;
import app.noom.fanout.Envelope.Kind;
import app.noom.fanout.NodeInboxes;
import app.noom.metrics.NoomMetrics;
import app.noom.protocol.ClientMessage.Chat;
import app.noom.protocol.ClientMessage.Join;
import app.noom.protocol.ClientMessage.Kick;
import app.noom.protocol.ClientMessage.Leave;
import app.noom.protocol.ClientMessage.Lock;
import app.noom.protocol.ClientMessage.Signal;
import app.noom.protocol.ErrorCode;
import app.noom.protocol.MemberInfo;
import app.noom.protocol.ProtocolException;
import app.noom.protocol.RawJson;
import app.noom.protocol.SignalKind;
import app.noom.relay.SessionDirectory;
import app.noom.relay.SessionMailboxes;
import app.noom.relay.local.InMemoryPresence;
import app.noom.relay.local.LocalRelay;
import app.noom.room.PasswordWorkers;
import app.noom.room.RoomService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One session's rooms, over the real single-node parts (in-memory presence, local relay, node inboxes, room service):
 * what the session answers, which requests it refuses before they reach the room, and what the other members hear.
 */
class SessionRoomsTest {
    private static final int MAX_ROOMS_PER_SESSION = 2;
    private static final String ADDRESS = "198.51.100.9";

    private Vertx vertx;
    private Context loop;
    private InMemoryPresence presence;
    private LocalRelay relay;
    private PasswordWorkers passwords;
    private SessionServices services;
    private int requestIds;

    /** A session as the tests drive it: its rooms, and what it would have sent its client. */
    private final class Client {
        final String id;
        final SessionRooms rooms;
        final LinkedBlockingQueue<Envelope> told = new LinkedBlockingQueue<>();

        Client(String id) {
            this.id = id;
            this.rooms = new SessionRooms(id, services, told::add, e -> {}, () -> "nick-" + id, ADDRESS);
        }

        JsonObject join(String room) throws Exception {
            JsonObject joined = onLoop(() -> rooms.join(new Join(++requestIds, room, Optional.empty(), false)));
            loop.runOnContext(v -> rooms.answerWritten(room));
            return joined;
        }

        Envelope next() throws InterruptedException {
            Envelope e = told.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, id + " was told nothing");
            return e;
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        loop = vertx.getOrCreateContext();
        passwords = new PasswordWorkers(1, 8, 4, 100);
        NodeInboxes inboxes = new NodeInboxes();
        presence = new InMemoryPresence();
        NoomConfig.Limits limits = new NoomConfig.Limits(
                65_536, 3, MAX_ROOMS_PER_SESSION, 32, 64, 1_000, 10, 60, 20, AbuseLimits.DEFAULTS);
        onLoop(() -> {
            relay = new LocalRelay(inboxes);
            RoomService rooms = new RoomService(
                    vertx,
                    passwords,
                    presence,
                    relay,
                    inboxes,
                    new RoomService.Limits(limits.maxMembersPerRoom(), 100, 60_000),
                    Clock.systemUTC());
            services = new SessionServices(
                    limits,
                    SessionServices.parserFor(limits),
                    rooms,
                    new SessionMailboxes(relay, inboxes),
                    session -> new JsonArray(),
                    new ResumeRegistry(SessionDirectory.NONE),
                    new AttemptThrottle(1),
                    Optional.empty(),
                    0,
                    new NoomMetrics(new SimpleMeterRegistry()));
            return Future.succeededFuture();
        });
    }

    @AfterEach
    void stop() throws Exception {
        passwords.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Runs {@code operation} on the session's event loop and waits for its result (a throw counts as a failure). */
    private <T> T onLoop(Supplier<Future<T>> operation) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(v -> {
            try {
                operation.get().onComplete(ar -> {
                    if (ar.succeeded()) result.complete(ar.result());
                    else result.completeExceptionally(ar.cause());
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(20, TimeUnit.SECONDS);
    }

    private ProtocolException refused(ErrorCode expected, Supplier<Future<?>> operation) {
        ExecutionException failure = assertThrows(ExecutionException.class, () -> onLoop(operation::get));
        ProtocolException refusal = assertInstanceOf(ProtocolException.class, failure.getCause());
        assertEquals(expected, refusal.code(), refusal.getMessage());
        return refusal;
    }

    private List<String> membersInPresence(String room) {
        return presence.snapshot().stream()
                .filter(r -> r.name().equals(room))
                .flatMap(r -> r.members().stream())
                .map(MemberInfo::id)
                .toList();
    }

    private Signal offer(String room, String to) {
        return new Signal(++requestIds, room, to, SignalKind.OFFER, new RawJson("{\"sdp\":\"v=0\"}"));
    }

    @Test
    void aJoinIsAnsweredWithTheMembersAndPolicyAndTheOthersHearOfIt() throws Exception {
        Client alice = new Client("m-alice");
        Client bob = new Client("m-bob");
        JsonObject aliceJoined = alice.join("r");
        assertEquals("joined", aliceJoined.getString("type"));
        assertEquals("m-alice", aliceJoined.getString("memberId"));
        assertTrue(aliceJoined.getJsonArray("members").isEmpty());
        assertEquals("m-alice", aliceJoined.getJsonObject("policy").getString("host"));

        JsonObject bobJoined = bob.join("r");
        assertEquals(
                "m-alice", bobJoined.getJsonArray("members").getJsonObject(0).getString("id"));
        Envelope heard = alice.next();
        assertEquals(Kind.MEMBER_JOINED, heard.kind());
        assertEquals("m-bob", heard.memberId());
        assertEquals(List.of("m-alice", "m-bob"), membersInPresence("r"));
        assertEquals(2, relay.localRooms().membersIn("r"));
    }

    @Test
    void aSecondJoinOfTheSameRoomAndOneRoomTooManyAreRefusedBeforeTheRoomSeesThem() throws Exception {
        Client alice = new Client("m-alice");
        alice.join("r1");
        refused(ErrorCode.ALREADY_IN_ROOM, () -> alice.rooms.join(new Join(1, "r1", Optional.empty(), false)));
        alice.join("r2");
        refused(ErrorCode.TOO_MANY_ROOMS, () -> alice.rooms.join(new Join(2, "r3", Optional.empty(), false)));
        assertEquals(List.of(), membersInPresence("r3"));
        assertEquals(0, relay.localRooms().membersIn("r3"));
        assertEquals(List.of("m-alice"), membersInPresence("r1"), "the refused second join did not disturb the first");
    }

    @Test
    void requestsAboutARoomTheSessionIsNotInAreRefusedNotInRoom() throws Exception {
        Client alice = new Client("m-alice");
        Client bob = new Client("m-bob");
        bob.join("r");
        refused(ErrorCode.NOT_IN_ROOM, () -> alice.rooms.leave(new Leave(1, "r")));
        refused(ErrorCode.NOT_IN_ROOM, () -> alice.rooms.chat(new Chat(2, "r", "hello")));
        refused(ErrorCode.NOT_IN_ROOM, () -> alice.rooms.signal(offer("r", "m-bob")));
        refused(ErrorCode.NOT_IN_ROOM, () -> alice.rooms.lock(new Lock(3, "r", true)));
        refused(ErrorCode.NOT_IN_ROOM, () -> alice.rooms.kick(new Kick(4, "r", "m-bob")));
        assertEquals(List.of("m-bob"), membersInPresence("r"));
        assertTrue(bob.told.isEmpty(), "bob heard nothing of it: " + bob.told);
    }

    @Test
    void aSignalReachesOnlyAMemberOfTheRoomAndIsRefusedUnknownMemberOtherwise() throws Exception {
        Client alice = new Client("m-alice");
        Client bob = new Client("m-bob");
        alice.join("r");
        bob.join("r");
        alice.next(); // bob joined
        LinkedBlockingQueue<Envelope> bobsInbox = new LinkedBlockingQueue<>();
        onLoop(() -> {
            services.mailboxes().inbox("m-bob", bobsInbox::add);
            return Future.succeededFuture();
        });
        refused(ErrorCode.UNKNOWN_MEMBER, () -> alice.rooms.signal(offer("r", "m-nobody")));
        JsonObject ack = onLoop(() -> alice.rooms.signal(offer("r", "m-bob")));
        assertEquals("ack", ack.getString("type"));
        Envelope signal = bobsInbox.poll(10, TimeUnit.SECONDS);
        assertNotNull(signal);
        assertEquals(Kind.SIGNAL, signal.kind());
        assertEquals("m-alice", signal.memberId(), "the sender is the session, never the client's say");
        assertTrue(bob.rooms.accepts(signal));
        assertTrue(bobsInbox.isEmpty(), "the refused signal went nowhere");

        onLoop(() -> bob.rooms.leave(new Leave(9, "r")));
        assertEquals(Kind.MEMBER_LEFT, alice.next().kind());
        refused(ErrorCode.UNKNOWN_MEMBER, () -> alice.rooms.signal(offer("r", "m-bob")));
        assertFalse(alice.rooms.accepts(new Envelope(Kind.SIGNAL, "r", "m-bob", "{}")), "bob left: his signals drop");
        assertFalse(bob.rooms.accepts(signal), "bob is out of the room");
    }

    @Test
    void leavingAnswersAckTellsTheOthersAndFreesTheSlot() throws Exception {
        Client alice = new Client("m-alice");
        Client bob = new Client("m-bob");
        alice.join("r");
        bob.join("r");
        alice.next();
        JsonObject ack = onLoop(() -> bob.rooms.leave(new Leave("bye", "r")));
        assertEquals("ack", ack.getString("type"));
        assertEquals("bye", ack.getString("re"));
        Envelope left = alice.next();
        assertEquals(Kind.MEMBER_LEFT, left.kind());
        assertEquals("m-bob", left.memberId());
        assertEquals(List.of("m-alice"), membersInPresence("r"));
        assertEquals(1, relay.localRooms().membersIn("r"));
        refused(ErrorCode.NOT_IN_ROOM, () -> bob.rooms.chat(new Chat(5, "r", "still here?")));
        bob.join("r"); // not already_in_room: the session is out
        assertEquals("m-bob", alice.next().memberId());
    }

    @Test
    void aKickedSessionIsToldAndOutOfTheRoomWhileAKickOfAStrangerIsRefused() throws Exception {
        Client alice = new Client("m-alice");
        Client bob = new Client("m-bob");
        alice.join("r");
        bob.join("r");
        alice.next();
        refused(ErrorCode.UNKNOWN_MEMBER, () -> alice.rooms.kick(new Kick(1, "r", "m-nobody")));
        onLoop(() -> alice.rooms.kick(new Kick(2, "r", "m-bob")));
        Envelope toBob = bob.next();
        assertEquals(Kind.KICKED, toBob.kind());
        assertEquals(Kind.MEMBER_LEFT, alice.next().kind(), "alice hears a plain member-left");
        assertEquals(List.of("m-alice"), membersInPresence("r"));
        pollUntil(() -> relay.localRooms().membersIn("r") == 1, "bob's session stops listening to the room");
        refused(ErrorCode.NOT_IN_ROOM, () -> bob.rooms.chat(new Chat(3, "r", "let me back")));
        refused(ErrorCode.KICKED, () -> bob.rooms.join(new Join(4, "r", Optional.empty(), false)));
    }

    @Test
    void wrongPasswordsAreCountedAndThenThrottledBeforeAnyHashing() throws Exception {
        Client alice = new Client("m-alice");
        Client mallory = new Client("m-mallory");
        onLoop(() -> alice.rooms.join(new Join(1, "vault", Optional.of("s3cret"), false)));
        refused(ErrorCode.BAD_PASSWORD, () -> mallory.rooms.join(new Join(2, "vault", Optional.of("guess"), false)));
        refused(
                ErrorCode.PASSWORD_THROTTLED,
                () -> mallory.rooms.join(new Join(3, "vault", Optional.of("s3cret"), false)));
        assertEquals(List.of("m-alice"), membersInPresence("vault"));
        assertEquals(1, relay.localRooms().membersIn("vault"));
    }

    @Test
    void theEndOfASessionLeavesEveryRoomAndTheOthersHearIt() throws Exception {
        Client alice = new Client("m-alice");
        Client bob = new Client("m-bob");
        Client carol = new Client("m-carol");
        alice.join("r1");
        alice.join("r2");
        bob.join("r1");
        carol.join("r2");
        onLoop(() -> {
            alice.rooms.leaveAll();
            return Future.succeededFuture();
        });
        Envelope bobHeard = bob.next();
        assertEquals(Kind.MEMBER_LEFT, bobHeard.kind());
        assertEquals("m-alice", bobHeard.memberId());
        assertEquals("m-alice", carol.next().memberId());
        pollUntil(
                () -> membersInPresence("r1").equals(List.of("m-bob"))
                        && membersInPresence("r2").equals(List.of("m-carol")),
                "alice is in no room");
        pollUntil(
                () -> relay.localRooms().membersIn("r1") == 1
                        && relay.localRooms().membersIn("r2") == 1,
                "this node listens to the rooms for bob and carol only");
    }

    /** Polls a condition the event loop makes true, up to a deadline. */
    private static void pollUntil(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 10 s: " + what);
            Thread.sleep(5);
        }
    }
}
