package app.noom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.fanout.Envelope;
import app.noom.fanout.Envelope.Kind;
import app.noom.fanout.NodeInboxes;
import app.noom.protocol.ErrorCode;
import app.noom.protocol.MediaState;
import app.noom.protocol.MemberInfo;
import app.noom.protocol.ProtocolException;
import app.noom.protocol.ServerMessages;
import app.noom.relay.local.InMemoryPresence;
import app.noom.relay.local.LocalRelay;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
 * The room rules with the real single-node parts (in-memory presence, local relay, node inboxes, password workers): a
 * listener on the room's inbox hears what members would hear; refusals are typed and leave presence as it was.
 */
class RoomServiceTest {
    private static final String ROOM = "standup";
    private static final long BAN_MILLIS = 60_000;
    private static final String ADDRESS = "192.0.2.7";

    private Vertx vertx;
    private Context loop;
    private NodeInboxes inboxes;
    private InMemoryPresence presence;
    private LocalRelay relay;
    private PasswordWorkers passwords;
    private RoomService rooms;
    private final LinkedBlockingQueue<Envelope> heard = new LinkedBlockingQueue<>();
    private int markers;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        loop = vertx.getOrCreateContext();
        passwords = new PasswordWorkers(1, 8, 4, 100);
        inboxes = new NodeInboxes();
        presence = new InMemoryPresence();
        startService(new RoomService.Limits(3, 2, BAN_MILLIS));
    }

    private void startService(RoomService.Limits limits) throws Exception {
        onLoop(() -> {
            relay = new LocalRelay(inboxes); // room order is kept on the test's event loop
            rooms = new RoomService(vertx, passwords, presence, relay, inboxes, limits, Clock.systemUTC());
            rooms.inbox(ROOM, heard::add);
            return Future.succeededFuture();
        });
    }

    @AfterEach
    void stop() throws Exception {
        passwords.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Runs {@code operation} on the event loop, as a session would, and waits for its result. */
    private <T> T onLoop(Supplier<Future<T>> operation) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(v -> operation.get().onComplete(ar -> {
            if (ar.succeeded()) result.complete(ar.result());
            else result.completeExceptionally(ar.cause());
        }));
        return result.get(20, TimeUnit.SECONDS);
    }

    private ProtocolException refused(ErrorCode expected, Supplier<Future<?>> operation) {
        ExecutionException failure = assertThrows(ExecutionException.class, () -> onLoop(operation::get));
        ProtocolException refusal = assertInstanceOf(ProtocolException.class, failure.getCause());
        assertEquals(expected, refusal.code(), refusal.getMessage());
        return refusal;
    }

    private static MemberInfo member(String id) {
        return new MemberInfo(id, "nick-" + id, MediaState.INITIAL);
    }

    private static RoomService.Entry open() {
        return new RoomService.Entry(Optional.empty(), false, false, Optional.empty(), ADDRESS);
    }

    private static RoomService.Entry withPassword(String password) {
        return new RoomService.Entry(Optional.of(password), false, false, Optional.empty(), ADDRESS);
    }

    private static RoomService.Entry asIdentity(String subject) {
        return new RoomService.Entry(Optional.empty(), false, false, Optional.of(subject), ADDRESS);
    }

    private static RoomService.Entry tokenHost() {
        return new RoomService.Entry(Optional.empty(), false, true, Optional.empty(), ADDRESS);
    }

    /** Admits {@code id} and answers who else was there (the admission's form is the room layer's own). */
    private List<MemberInfo> join(String id, RoomService.Entry entry) throws Exception {
        return onLoop(() -> rooms.join(ROOM, member(id), entry).map(admission -> admission.others()));
    }

    private String hostInPresence() {
        return presence.snapshot().stream()
                .filter(r -> r.name().equals(ROOM))
                .findFirst()
                .orElseThrow()
                .policy()
                .host();
    }

    private Envelope next() throws InterruptedException {
        Envelope e = heard.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "nothing announced to the room");
        return e;
    }

    /** Everything announced so far is already heard once a marker published now arrives right after it. */
    private void assertNothingMoreAnnounced() throws Exception {
        markers++;
        Envelope marker = new Envelope(Kind.CHAT, ROOM, "marker", "{\"type\":\"chat\",\"n\":" + markers + "}");
        onLoop(() -> relay.toRoom(ROOM, marker));
        assertEquals(marker, next(), "something else was announced before the marker");
    }

    private List<String> membersInPresence() {
        return presence.snapshot().stream()
                .filter(r -> r.name().equals(ROOM))
                .flatMap(r -> r.members().stream())
                .map(MemberInfo::id)
                .toList();
    }

    private JsonObject policyOf(Envelope roomUpdated) {
        assertEquals(Kind.ROOM_UPDATED, roomUpdated.kind());
        return new JsonObject(roomUpdated.json());
    }

    private void admitAliceAndBob() throws Exception {
        join("m-alice", open());
        join("m-bob", open());
        next();
        next();
    }

    @Test
    void aJoinIsAdmittedWithTheOthersAndAnnouncedToTheRoom() throws Exception {
        assertEquals(List.of(), join("m-alice", open()));
        assertEquals("m-alice", hostInPresence(), "the room's creator hosts it");
        Envelope announced = next();
        assertEquals(
                new Envelope(
                        Kind.MEMBER_JOINED,
                        ROOM,
                        "m-alice",
                        ServerMessages.memberJoined(ROOM, member("m-alice")).encode()),
                announced);

        assertEquals(List.of(member("m-alice")), join("m-bob", open()));
        assertEquals("m-alice", hostInPresence());
        assertEquals("m-bob", next().memberId());
        assertEquals(List.of("m-alice", "m-bob"), membersInPresence());
        assertEquals(2, relay.localRooms().membersIn(ROOM));
    }

    @Test
    void aFullRoomRefusesRoomFullAndLeavesNoTrace() throws Exception {
        admitAliceAndBob();
        join("m-carol", open());
        next();
        ProtocolException refusal = refused(ErrorCode.ROOM_FULL, () -> rooms.join(ROOM, member("m-dave"), open()));
        assertTrue(refusal.getMessage().contains("3 of 3"), refusal.getMessage());
        assertEquals(List.of("m-alice", "m-bob", "m-carol"), membersInPresence());
        assertEquals(3, relay.localRooms().membersIn(ROOM), "the refused join stopped listening again");
        assertNothingMoreAnnounced();
    }

    @Test
    void aLockedRoomRefusesRoomLockedButATokenHostPassesAndTakesTheHost() throws Exception {
        join("m-alice", open());
        next();
        onLoop(() -> rooms.lock(ROOM, "m-alice", true));
        JsonObject locked = policyOf(next());
        assertTrue(locked.getBoolean("locked"));
        refused(ErrorCode.ROOM_LOCKED, () -> rooms.join(ROOM, member("m-bob"), open()));
        assertEquals(List.of("m-alice"), membersInPresence());
        assertEquals(1, relay.localRooms().membersIn(ROOM));
        assertNothingMoreAnnounced();

        assertEquals(List.of(member("m-alice")), join("m-host", tokenHost()));
        assertEquals("m-host", next().memberId());
        assertEquals("m-host", policyOf(next()).getString("host"), "a token-granted host is made host");
        onLoop(() -> rooms.lock(ROOM, "m-host", false));
        assertFalse(policyOf(next()).getBoolean("locked"));
        join("m-bob", open());
        assertEquals("m-bob", next().memberId());
    }

    @Test
    void aKickedMemberHearsKickedAndIsRefusedUntilItsBanEndsByIdAndByIdentity() throws Exception {
        join("m-alice", open());
        join("m-bob", asIdentity("user-bob"));
        next();
        next();
        long before = System.currentTimeMillis();
        onLoop(() -> rooms.kick(ROOM, "m-alice", "m-bob"));
        Envelope kicked = next();
        assertEquals(Kind.KICKED, kicked.kind());
        assertEquals("m-bob", kicked.memberId());
        JsonObject notice = new JsonObject(kicked.json());
        assertEquals("kicked", notice.getString("type"));
        assertEquals("m-alice", notice.getString("by"));
        assertEquals(List.of("m-alice"), membersInPresence());
        assertEquals(2, relay.localRooms().membersIn(ROOM), "bob's session still listens until it reads the notice");
        rooms.removedByRoom(ROOM, "m-bob"); // what bob's session does on reading it

        ProtocolException again = refused(ErrorCode.KICKED, () -> rooms.join(ROOM, member("m-bob"), open()));
        long until = again.fields().getLong("until");
        assertTrue(until >= before + BAN_MILLIS && until <= System.currentTimeMillis() + BAN_MILLIS, "until " + until);
        assertEquals(notice.getLong("until"), until);
        refused(ErrorCode.KICKED, () -> rooms.join(ROOM, member("m-bob-new-session"), asIdentity("user-bob")));
        assertEquals(List.of("m-alice"), membersInPresence());
        assertEquals(1, relay.localRooms().membersIn(ROOM));
        assertNothingMoreAnnounced();
    }

    @Test
    void onlyTheHostKicksAndOnlyAMember() throws Exception {
        admitAliceAndBob();
        refused(ErrorCode.NOT_HOST, () -> rooms.kick(ROOM, "m-bob", "m-alice"));
        refused(ErrorCode.UNKNOWN_MEMBER, () -> rooms.kick(ROOM, "m-alice", "m-nobody"));
        refused(ErrorCode.INVALID_MESSAGE, () -> rooms.kick(ROOM, "m-alice", "m-alice"));
        assertEquals(List.of("m-alice", "m-bob"), membersInPresence());
        assertNothingMoreAnnounced();
    }

    @Test
    void aPasswordRoomRefusesBadPasswordWithoutOrWrongAndAdmitsTheRightOne() throws Exception {
        join("m-alice", withPassword("open sesame"));
        next();
        refused(ErrorCode.BAD_PASSWORD, () -> rooms.join(ROOM, member("m-bob"), open()));
        refused(ErrorCode.BAD_PASSWORD, () -> rooms.join(ROOM, member("m-bob"), withPassword("open sesame!")));
        assertEquals(List.of("m-alice"), membersInPresence());
        assertEquals(1, relay.localRooms().membersIn(ROOM));
        assertNothingMoreAnnounced();
        join("m-bob", withPassword("open sesame"));
        assertEquals("m-bob", next().memberId());
        assertTrue(presence.snapshot().get(0).policy().passwordHash().isPresent());
    }

    @Test
    void aNodeHostingItsMaximumRefusesNewRoomsButKeepsHostedOnesOpen() throws Exception {
        join("m-alice", open()); // room 1 of 2
        onLoop(() -> rooms.join("other", member("m-zed"), open())); // room 2 of 2
        rooms.checkNodeCapacity(ROOM);
        rooms.checkNodeCapacity("other");
        ProtocolException full = assertThrows(ProtocolException.class, () -> rooms.checkNodeCapacity("third"));
        assertEquals(ErrorCode.NODE_FULL, full.code());
        onLoop(() -> rooms.leave("other", "m-zed"));
        rooms.checkNodeCapacity("third"); // a room closed: room for another
    }

    @Test
    void leavingAnnouncesMemberLeftAndPassesTheHostOnce() throws Exception {
        admitAliceAndBob();
        onLoop(() -> rooms.leave(ROOM, "m-alice"));
        assertEquals(
                new Envelope(
                        Kind.MEMBER_LEFT,
                        ROOM,
                        "m-alice",
                        ServerMessages.memberLeft(ROOM, "m-alice").encode()),
                next());
        assertEquals("m-bob", policyOf(next()).getString("host"));
        assertEquals(List.of("m-bob"), membersInPresence());
        assertEquals(1, relay.localRooms().membersIn(ROOM));

        onLoop(() -> rooms.leave(ROOM, "m-alice")); // already out: nothing to announce
        assertNothingMoreAnnounced();

        onLoop(() -> rooms.leave(ROOM, "m-bob")); // not the host's leaving: no host to pass
        assertEquals(Kind.MEMBER_LEFT, next().kind());
        assertNothingMoreAnnounced();
        assertEquals(List.of(), membersInPresence());
        assertEquals(0, relay.localRooms().rooms());
    }

    @Test
    void lockAndHandingTheHostRequireTheHost() throws Exception {
        admitAliceAndBob();
        refused(ErrorCode.NOT_HOST, () -> rooms.lock(ROOM, "m-bob", true));
        refused(ErrorCode.NOT_HOST, () -> rooms.handHost(ROOM, "m-bob", "m-bob"));
        refused(ErrorCode.NOT_HOST, () -> rooms.lock("no-such-room", "m-alice", true));
        refused(ErrorCode.UNKNOWN_MEMBER, () -> rooms.handHost(ROOM, "m-alice", "m-nobody"));
        assertNothingMoreAnnounced();
        assertFalse(presence.snapshot().get(0).policy().locked());

        onLoop(() -> rooms.handHost(ROOM, "m-alice", "m-bob"));
        assertEquals("m-bob", policyOf(next()).getString("host"));
        refused(ErrorCode.NOT_HOST, () -> rooms.lock(ROOM, "m-alice", true));
        onLoop(() -> rooms.lock(ROOM, "m-bob", true));
        assertTrue(policyOf(next()).getBoolean("locked"));
    }

    @Test
    void aMemberRemovedByTheRoomIsForgottenHereWithoutAnotherAnnouncement() throws Exception {
        admitAliceAndBob();
        rooms.removedByRoom(ROOM, "m-bob");
        assertEquals(List.of("m-alice"), membersInPresence());
        assertEquals(1, relay.localRooms().membersIn(ROOM));
        assertNothingMoreAnnounced();
    }

    @Test
    void aSessionMovingAwayStaysInTheRoomAndArrivingListensAgain() throws Exception {
        admitAliceAndBob();
        rooms.movedAway(ROOM, "m-bob");
        assertEquals(1, relay.localRooms().membersIn(ROOM), "this node no longer listens for bob");
        assertEquals(List.of("m-alice", "m-bob"), membersInPresence(), "bob is still in the room");

        assertTrue(onLoop(() -> rooms.arrived(ROOM, member("m-bob"), false)));
        assertEquals(2, relay.localRooms().membersIn(ROOM));
        assertTrue(onLoop(() -> rooms.arrived(ROOM, member("m-alice"), true)));
        assertEquals(2, relay.localRooms().membersIn(ROOM), "already listening: not counted twice");

        rooms.removedByRoom(ROOM, "m-bob");
        assertFalse(onLoop(() -> rooms.arrived(ROOM, member("m-bob"), true)), "removed while it travelled");
        assertNothingMoreAnnounced();
    }
}
