package app.noom.session;

import static app.noom.protocol.ErrorCode.*;

import app.noom.auth.Grants;
import app.noom.fanout.Envelope;
import app.noom.fanout.NodeInboxes;
import app.noom.logging.LogFields;
import app.noom.net.AddressKey;
import app.noom.protocol.ClientMessage.Chat;
import app.noom.protocol.ClientMessage.HandOverHost;
import app.noom.protocol.ClientMessage.Join;
import app.noom.protocol.ClientMessage.Kick;
import app.noom.protocol.ClientMessage.Leave;
import app.noom.protocol.ClientMessage.Lock;
import app.noom.protocol.ClientMessage.Media;
import app.noom.protocol.ClientMessage.Signal;
import app.noom.protocol.MemberInfo;
import app.noom.protocol.ProtocolException;
import app.noom.protocol.ServerMessages;
import app.noom.room.RoomService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms one session is in, and the requests about them: join, leave, media, chat and directed signals. Lives on the
 * session's event loop. Each membership subscribes to its room before admission (see {@link RoomMembership}).
 */
final class SessionRooms {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRooms.class);

    private final String memberId;
    private final SessionServices services;
    private final Consumer<Envelope> forward;
    private final Consumer<Envelope> received; // every room envelope, before filtering: the session's watermarks
    private final Supplier<String> nickname;
    private final String address;
    private Grants grants = Grants.ANONYMOUS;
    private final Map<String, RoomMembership> rooms = new LinkedHashMap<>(2); // most sessions are in one room
    private List<RoomMembership> goneInTransit = List.of(); // rehost found us removed while moving
    private boolean ended;

    SessionRooms(
            String memberId,
            SessionServices services,
            Consumer<Envelope> forward,
            Consumer<Envelope> received,
            Supplier<String> nickname,
            String address) {
        this.received = received;
        this.memberId = memberId;
        this.address = address;
        this.services = services;
        this.forward = forward;
        this.nickname = nickname;
    }

    Future<JsonObject> join(Join join) {
        String room = join.room();
        if (rooms.containsKey(room)) throw new ProtocolException(ALREADY_IN_ROOM, "already in room '" + room + "'");
        int maxRooms = services.limits().maxRoomsPerSession();
        if (rooms.size() >= maxRooms) {
            throw new ProtocolException(TOO_MANY_ROOMS, "a session may be in at most " + maxRooms + " rooms");
        }
        if (!grants.mayEnter(room)) {
            throw new ProtocolException(ROOM_NOT_ALLOWED, "your join token does not open room '" + room + "'");
        }
        services.rooms().checkNodeCapacity(room);
        if (join.password().isPresent() && passwordThrottled()) {
            throw new ProtocolException(PASSWORD_THROTTLED, "too many wrong passwords; try again in a minute");
        }
        RoomMembership membership = subscribe(room);
        RoomService.Entry entry = new RoomService.Entry(
                join.password(), join.privateRoom(), grants.hostOf(room), grants.subject(), AddressKey.of(address));
        return services.rooms()
                .join(room, self(membership), entry)
                .compose(admitted -> admitted(join, membership, admitted))
                .onFailure(e -> {
                    if (rooms.remove(room, membership)) membership.unsubscribe();
                    if (e instanceof ProtocolException p && p.code() == BAD_PASSWORD) passwordFailed();
                });
    }

    private Future<JsonObject> admitted(Join join, RoomMembership membership, RoomService.Admission admitted) {
        if (ended) { // the session ended while we waited: undo the admission
            services.rooms().leave(join.room(), memberId);
            return Future.failedFuture(new ProtocolException(INTERNAL, "session closed"));
        }
        membership.activate(admitted.others());
        return Future.succeededFuture(ServerMessages.joined(join.id(), join.room(), memberId, admitted.others())
                .put("policy", admitted.policy()));
    }

    /** What the session's verified join token allows. */
    void grant(Grants verified) {
        this.grants = verified;
    }

    /**
     * Wrong passwords are counted per session and per address (IPv6: per /64); an address gets four sessions' worth,
     * since several people may share one NAT.
     */
    private boolean passwordThrottled() {
        return services.passwordAttempts().blocked(memberId)
                || services.passwordAttempts().blocked(AddressKey.of(address), 4);
    }

    private void passwordFailed() {
        services.passwordAttempts().failed(memberId);
        services.passwordAttempts().failed(AddressKey.of(address));
    }

    Future<JsonObject> lock(Lock lock) {
        active(lock.room());
        return services.rooms().lock(lock.room(), memberId, lock.locked()).map(v -> ServerMessages.ack(lock.id()));
    }

    Future<JsonObject> kick(Kick kick) {
        RoomMembership membership = active(kick.room());
        if (!membership.hasMember(kick.member())) {
            throw new ProtocolException(
                    UNKNOWN_MEMBER, "no member '" + abbreviate(kick.member()) + "' in '" + kick.room() + "'");
        }
        return services.rooms().kick(kick.room(), memberId, kick.member()).map(v -> ServerMessages.ack(kick.id()));
    }

    Future<JsonObject> handOverHost(HandOverHost handOver) {
        RoomMembership membership = active(handOver.room());
        if (!membership.hasMember(handOver.member())) {
            throw new ProtocolException(
                    UNKNOWN_MEMBER, "no member '" + abbreviate(handOver.member()) + "' in '" + handOver.room() + "'");
        }
        return services.rooms()
                .handHost(handOver.room(), memberId, handOver.member())
                .map(v -> ServerMessages.ack(handOver.id()));
    }

    /** The answer to a join (or a resume) was written: what the room said meanwhile follows it now. */
    void answerWritten(String room) {
        RoomMembership membership = rooms.get(room);
        if (membership != null && membership.active()) membership.releasePending();
    }

    /**
     * After a resume from another node: every restored room's waiting envelopes follow the welcome. A room that removed
     * the member while it travelled (a kick, a sweep) and has not said so by now (a {@code kicked} in what the landing
     * kept) tells the client it is out.
     */
    void answerWrittenForAll() {
        List.copyOf(rooms.values()).forEach(m -> {
            if (m.active()) m.releasePending();
        });
        goneInTransit.forEach(m -> m.onEnvelope(Envelope.memberSwept(m.room, memberId)));
        goneInTransit = List.of();
    }

    /** What the session's token allows; travels with the session to another node. */
    Grants grants() {
        return grants;
    }

    /**
     * The room removed us (a kick, or a sweep that took us for dead): stop listening to it. Presence already dropped us;
     * the leave below only clears this node's own record of it and announces nothing.
     */
    private void removedByRoom(RoomMembership membership) {
        if (!rooms.remove(membership.room, membership)) return;
        membership.unsubscribe();
        services.rooms().removedByRoom(membership.room, memberId);
    }

    Future<JsonObject> leave(Leave leave) {
        RoomMembership membership = active(leave.room());
        rooms.remove(leave.room());
        // answered once the others were told (a join right behind it then follows the member-left): we are out either
        // way.
        // Still listening meanwhile: a kick that crossed the leave is told before the ack (RoomService.leave waits for
        // it)
        return services.rooms()
                .leave(membership.room, memberId)
                .onFailure(e -> LOG.atWarn()
                        .addKeyValue(LogFields.SESSION, memberId)
                        .log("leaving room failed: {}", e.getMessage()))
                .transform(done -> {
                    membership.unsubscribe();
                    return Future.succeededFuture(ServerMessages.ack(leave.id()));
                });
    }

    Future<JsonObject> media(Media media) {
        RoomMembership membership = active(media.room());
        membership.media = media.state();
        return services.rooms().update(media.room(), self(membership)).map(v -> ServerMessages.ack(media.id()));
    }

    Future<JsonObject> signal(Signal signal) {
        RoomMembership membership = active(signal.room());
        if (!membership.hasMember(signal.to())) {
            throw new ProtocolException(
                    UNKNOWN_MEMBER, "no member '" + abbreviate(signal.to()) + "' in room '" + signal.room() + "'");
        }
        return services.rooms()
                .signal(signal.room(), memberId, signal.to(), signal.kind(), signal.payload())
                .map(v -> ServerMessages.ack(signal.id()));
    }

    Future<JsonObject> chat(Chat chat) {
        RoomMembership membership = active(chat.room());
        return services.rooms()
                .chat(chat.room(), self(membership), chat.text())
                .map(v -> ServerMessages.ack(chat.id()));
    }

    /** Announces a new nickname in every room. */
    Future<Void> renamed() {
        return Future.all(rooms.values().stream()
                        .filter(RoomMembership::active)
                        .map(m -> services.rooms().update(m.room, self(m)))
                        .toList())
                .mapEmpty();
    }

    /** A signal addressed to us is delivered only while we are in its room and its sender has not left it. */
    boolean accepts(Envelope signal) {
        RoomMembership membership = rooms.get(signal.room());
        return membership != null && membership.acceptsFrom(signal.memberId());
    }

    /**
     * The session ends: leave every room (peers get member-left). A join still waiting for admission cleans up after
     * itself when its answer comes ({@link #admitted} sees the session ended).
     */
    void leaveAll() {
        ended = true;
        rooms.values().forEach(m -> {
            if (m.active()) leaveQuietly(m);
            else m.unsubscribe();
        });
        rooms.clear();
    }

    /** The session moves to another node: stop listening here, leave nothing. */
    List<SessionSnapshot.RoomState> departAll() {
        ended = true;
        List<SessionSnapshot.RoomState> states = rooms.values().stream()
                .filter(RoomMembership::active)
                .map(m -> new SessionSnapshot.RoomState(m.room, m.media, m.memberIds()))
                .toList();
        rooms.values().forEach(m -> {
            m.unsubscribe();
            if (m.active()) services.rooms().movedAway(m.room, memberId);
        });
        rooms.clear();
        return states;
    }

    /**
     * The session arrived from another node: listen to its rooms here (through the subscriptions {@code landing} already
     * holds, where it has them) and move its presence entries to this node.
     */
    Future<Void> arrive(List<SessionSnapshot.RoomState> states, Optional<ArrivalBuffer> landing) {
        List<Future<?>> steps = new ArrayList<>();
        for (SessionSnapshot.RoomState state : states) {
            RoomMembership membership = new RoomMembership(state.room(), memberId, forward, this::removedByRoom);
            rooms.put(state.room(), membership);
            membership.media = state.media();
            membership.activateWith(state.memberIds());
            Optional<NodeInboxes.Listening> adopted =
                    landing.flatMap(l -> l.adoptRoom(state.room(), receiver(membership)));
            // an adopted subscription was counted and confirmed when the landing opened
            if (adopted.isPresent()) membership.subscribedWith(adopted.get());
            else listen(membership);
            steps.add(services.rooms()
                    .arrived(state.room(), self(membership), adopted.isPresent())
                    .onSuccess(stillMember -> {
                        if (!stillMember) goneMissing(membership);
                    }));
        }
        return Future.all(steps).mapEmpty();
    }

    private void goneMissing(RoomMembership membership) {
        if (goneInTransit.isEmpty()) goneInTransit = new ArrayList<>(1);
        goneInTransit.add(membership);
    }

    private RoomMembership subscribe(String room) {
        RoomMembership membership = new RoomMembership(room, memberId, forward, this::removedByRoom);
        rooms.put(room, membership);
        listen(membership);
        return membership;
    }

    private void listen(RoomMembership membership) {
        Consumer<Envelope> receiver = receiver(membership);
        membership.subscribedWith(services.rooms().inbox(membership.room, receiver));
    }

    private Consumer<Envelope> receiver(RoomMembership membership) {
        return envelope -> {
            received.accept(envelope);
            membership.onEnvelope(envelope);
        };
    }

    private RoomMembership active(String room) {
        RoomMembership membership = rooms.get(room);
        if (membership == null || !membership.active()) {
            throw new ProtocolException(NOT_IN_ROOM, "not in room '" + room + "'");
        }
        return membership;
    }

    private Future<Void> leaveQuietly(RoomMembership membership) {
        membership.unsubscribe();
        return services.rooms()
                .leave(membership.room, memberId)
                .onFailure(e -> LOG.atWarn()
                        .addKeyValue(LogFields.SESSION, memberId)
                        .log("leaving room failed: {}", e.getMessage()));
    }

    private MemberInfo self(RoomMembership membership) {
        return new MemberInfo(memberId, nickname.get(), membership.media);
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
