package app.noom.room;

import static app.noom.protocol.ErrorCode.*;

import app.noom.fanout.Addresses;
import app.noom.fanout.Envelope;
import app.noom.fanout.Envelope.Kind;
import app.noom.fanout.NodeInboxes;
import app.noom.protocol.MemberInfo;
import app.noom.protocol.ProtocolException;
import app.noom.protocol.RawJson;
import app.noom.protocol.RoomCount;
import app.noom.protocol.ServerMessages;
import app.noom.protocol.SignalKind;
import app.noom.relay.ClusterRelay;
import app.noom.relay.Presence;
import app.noom.relay.Presence.JoinOutcome;
import app.noom.relay.Presence.JoinTicket;
import app.noom.relay.RoomPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The room rules shared by every session: admission (size, password, lock, bans), host controls, and what the other
 * members are told when someone joins, leaves, changes, chats or signals. Knows presence and relay only through their
 * interfaces, never how they cross nodes.
 */
public final class RoomService {
    private final Vertx vertx;
    private final PasswordWorkers passwords;
    private final Presence presence;
    private final ClusterRelay relay;
    private final NodeInboxes inboxes;
    private final Limits limits;
    private final Clock clock;

    /** How large rooms may grow, how many rooms one node hosts, and how long a kicked member stays out. */
    public record Limits(int maxMembersPerRoom, int maxRoomsPerNode, long kickBanMillis) {}

    public RoomService(
            Vertx vertx,
            PasswordWorkers passwords,
            Presence presence,
            ClusterRelay relay,
            NodeInboxes inboxes,
            Limits limits,
            Clock clock) {
        this.vertx = vertx;
        this.passwords = passwords;
        this.presence = presence;
        this.relay = relay;
        this.inboxes = inboxes;
        this.limits = limits;
        this.clock = clock;
    }

    /** The room list: every public room with its head-count, cluster-wide. */
    public Future<List<RoomCount>> roomList() {
        return presence.rooms();
    }

    // ---- where a room is heard: a session listens on this node; the node, counted, listens to the cluster ----

    /** A session's inbox for {@code room} on this node; the node must also be listening ({@link #listenHere}). */
    public NodeInboxes.Listening inbox(String room, Consumer<Envelope> receiver) {
        return inboxes.listen(Addresses.room(room), receiver);
    }

    /** One more local member of {@code room}: completes once the cluster confirmed this node hears the room. */
    public Future<Void> listenHere(String room) {
        return relay.localMemberAdded(room);
    }

    /** One local member of {@code room} fewer (the node stops listening after the last one). */
    public void stopListeningHere(String room) {
        relay.localMemberRemoved(room);
    }

    /** A new room on this node is refused once the node hosts its maximum; rooms it already hosts stay open. */
    public void checkNodeCapacity(String room) {
        if (relay.localRooms().membersIn(room) == 0 && relay.localRooms().rooms() >= limits.maxRoomsPerNode()) {
            throw new ProtocolException(
                    NODE_FULL, "this node hosts its maximum of " + limits.maxRoomsPerNode() + " rooms");
        }
    }

    // ---- a session that moves between nodes, or that its room removed ----

    /**
     * The room removed the member (a kick, a sweep) and announced it: this node stops listening for it and clears its
     * own record of it, announcing nothing.
     */
    public void removedByRoom(String room, String memberId) {
        relay.localMemberRemoved(room);
        presence.leave(room, memberId);
    }

    /** The member's session moved to another node: it stays in the room, just not here. */
    public void movedAway(String room, String memberId) {
        relay.localMemberRemoved(room);
        presence.movedAway(room, memberId);
    }

    /**
     * The member's session arrived on this node (already listening to the room if {@code listening}): its room entry
     * moves here. False if the room removed the member while it travelled.
     */
    public Future<Boolean> arrived(String room, MemberInfo member, boolean listening) {
        Future<Void> heard = listening ? Future.succeededFuture() : relay.localMemberAdded(room);
        return heard.compose(v -> presence.rehost(room, member));
    }

    /** Who was already in the room when the member was admitted, and the room's public policy. */
    public record Admission(List<MemberInfo> others, JsonObject policy) {}

    /**
     * How a member asks to enter. {@code tokenHost}: a verified token made it host (it also passes locks);
     * {@code identity}: the token's subject, when there is one (a ban holds against it, not only the session);
     * {@code addressKey}: the client's address (IPv6: its /64), which password work is counted and queued under.
     */
    public record Entry(
            Optional<String> password,
            boolean privateRoom,
            boolean tokenHost,
            Optional<String> identity,
            String addressKey) {}

    /**
     * Admits {@code member} and announces it, or fails with the protocol error that explains why not. The caller must
     * already listen to the room so it misses nothing; this node's cluster subscription to the room is confirmed before
     * admission, so no announcement made after it can miss this node. A failure leaves no trace in presence.
     */
    public Future<Admission> join(String room, MemberInfo member, Entry entry) {
        Context caller = vertx.getOrCreateContext(); // the session's loop: password results come back to it
        return relay.localMemberAdded(room)
                .compose(v -> presence.policy(room))
                .compose(existing -> existing.isPresent()
                        ? checkPassword(existing.get(), entry, caller).map(ok -> existing)
                        : creatingPolicy(member, entry, caller).map(Optional::of))
                .compose(policy -> presence.join(new JoinTicket(
                        room,
                        member,
                        limits.maxMembersPerRoom(),
                        policy.orElseThrow(),
                        entry.tokenHost(),
                        entry.identity())))
                .compose(outcome -> admitted(room, outcome))
                .compose(admitted -> announceArrival(room, member, entry, admitted))
                .map(admitted ->
                        new Admission(admitted.others(), admitted.policy().toPublicJson(room)))
                .onFailure(e -> relay.localMemberRemoved(room));
    }

    private Future<JoinOutcome.Admitted> announceArrival(
            String room, MemberInfo member, Entry entry, JoinOutcome.Admitted admitted) {
        return relay.toRoom(
                        room,
                        envelope(Kind.MEMBER_JOINED, room, member.id(), ServerMessages.memberJoined(room, member)))
                .compose(v -> entry.tokenHost()
                                && !member.id().equals(admitted.policy().host())
                        ? handHost(room, member.id()).map(admitted)
                        : Future.succeededFuture(admitted))
                .recover(e -> presence.leave(room, member.id()).transform(ignored -> Future.failedFuture(e)));
    }

    private Future<Boolean> checkPassword(RoomPolicy policy, Entry entry, Context caller) {
        if (policy.passwordHash().isEmpty() || entry.tokenHost()) return Future.succeededFuture(true);
        if (entry.password().isEmpty())
            return Future.failedFuture(new ProtocolException(BAD_PASSWORD, "this room needs a password"));
        return passwords
                .matches(
                        entry.addressKey(),
                        entry.password().get(),
                        policy.passwordHash().get(),
                        caller)
                .compose(ok -> ok
                        ? Future.succeededFuture(true)
                        : Future.failedFuture(new ProtocolException(BAD_PASSWORD, "wrong password")));
    }

    private Future<RoomPolicy> creatingPolicy(MemberInfo member, Entry entry, Context caller) {
        if (entry.password().isEmpty()) {
            return Future.succeededFuture(RoomPolicy.createdBy(member.id(), entry.privateRoom(), Optional.empty()));
        }
        return passwords
                .hashForNewRoom(entry.addressKey(), entry.password().get(), caller)
                .map(hash -> RoomPolicy.createdBy(member.id(), entry.privateRoom(), Optional.of(hash)));
    }

    private Future<JoinOutcome.Admitted> admitted(String room, JoinOutcome outcome) {
        if (outcome instanceof JoinOutcome.Admitted admitted) return Future.succeededFuture(admitted);
        ProtocolException refusal;
        if (outcome instanceof JoinOutcome.Full full) {
            refusal = new ProtocolException(
                    ROOM_FULL,
                    "room '" + room + "' has " + full.count() + " of " + limits.maxMembersPerRoom() + " members");
        } else if (outcome instanceof JoinOutcome.Locked) {
            refusal = new ProtocolException(ROOM_LOCKED, "room '" + room + "' is locked by its host");
        } else {
            long until = ((JoinOutcome.Banned) outcome).untilMillis();
            refusal = new ProtocolException(
                            KICKED,
                            "you were removed from room '" + room + "' and may return at " + until + " (epoch ms)")
                    .with("until", until);
        }
        return Future.failedFuture(refusal);
    }

    public Future<Void> leave(String room, String memberId) {
        // a member already removed (a kick that crossed the leave) was announced by its remover
        return presence.leave(room, memberId)
                .compose(wasIn -> !wasIn
                        ? Future.<Void>succeededFuture()
                        : relay.toRoom(
                                        room,
                                        envelope(
                                                Kind.MEMBER_LEFT,
                                                room,
                                                memberId,
                                                ServerMessages.memberLeft(room, memberId)))
                                .compose(v -> presence.passHostFrom(room, memberId))
                                .compose(passed ->
                                        passed.isPresent() ? announce(room, passed.get()) : Future.succeededFuture()))
                .eventually(() -> relay.localMemberRemoved(room));
    }

    public Future<Void> update(String room, MemberInfo member) {
        return presence.update(room, member)
                .compose(v -> asMember(
                        room,
                        relay.fromMember(
                                room,
                                null,
                                envelope(
                                        Kind.MEMBER_UPDATED,
                                        room,
                                        member.id(),
                                        ServerMessages.memberUpdated(room, member)))));
    }

    public Future<Void> chat(String room, MemberInfo from, String text) {
        return asMember(
                room,
                relay.fromMember(
                        room,
                        null,
                        envelope(Kind.CHAT, room, from.id(), ServerMessages.chat(room, from, text, clock.millis()))));
    }

    /** Relays a signal; {@code from} comes from the sending session, never from the client's message. */
    public Future<Void> signal(String room, String from, String to, SignalKind kind, RawJson payload) {
        return asMember(
                room,
                relay.fromMember(
                        room,
                        to,
                        new Envelope(Kind.SIGNAL, room, from, ServerMessages.signal(room, from, kind, payload))));
    }

    /** The cluster found the sender already out of the room (kicked while its message travelled): nobody got it. */
    private static Future<Void> asMember(String room, Future<Void> sent) {
        return sent.recover(e -> Future.failedFuture(
                e instanceof app.noom.relay.NotInRoomException
                        ? new ProtocolException(NOT_IN_ROOM, "not in room '" + room + "'")
                        : e));
    }

    // ---- host controls: the caller checked that the requester is a member; the host check is here ----

    public Future<Void> lock(String room, String requester, boolean locked) {
        return requireHost(room, requester)
                .compose(p -> presence.lock(room, locked))
                .compose(p -> announce(room, p));
    }

    public Future<Void> handHost(String room, String newHost) {
        return presence.handHost(room, newHost)
                .compose(p -> p.isPresent()
                        ? announce(room, p)
                        : Future.failedFuture(
                                new ProtocolException(UNKNOWN_MEMBER, "no such member in room '" + room + "'")));
    }

    public Future<Void> handHost(String room, String requester, String newHost) {
        return requireHost(room, requester).compose(p -> handHost(room, newHost));
    }

    /**
     * Removes {@code target}, who may not come back for the ban period. One room message carries the kick, in the room's
     * order: the target reads it as {@code kicked}, everyone else as {@code member-left}, and from then on every member
     * drops what the target still sends.
     */
    public Future<Void> kick(String room, String requester, String target) {
        if (requester.equals(target)) {
            return Future.failedFuture(
                    new ProtocolException(INVALID_MESSAGE, "a host leaves rather than kicks itself"));
        }
        long until = clock.millis() + limits.kickBanMillis();
        Envelope notice = envelope(Kind.KICKED, room, target, ServerMessages.kicked(room, requester, until));
        return presence.kick(room, requester, target, until, notice).compose(outcome -> switch (outcome) {
            case KICKED -> relay.toRoom(room, notice);
            case KICKED_AND_ANNOUNCED -> Future.succeededFuture();
            case NOT_HOST ->
                Future.failedFuture(new ProtocolException(NOT_HOST, "only the host of '" + room + "' may do that"));
            case UNKNOWN_MEMBER ->
                Future.failedFuture(new ProtocolException(UNKNOWN_MEMBER, "no such member in room '" + room + "'"));
        });
    }

    private Future<Optional<RoomPolicy>> requireHost(String room, String requester) {
        return presence.policy(room)
                .compose(policy -> policy.isPresent() && policy.get().host().equals(requester)
                        ? Future.succeededFuture(policy)
                        : Future.failedFuture(
                                new ProtocolException(NOT_HOST, "only the host of '" + room + "' may do that")));
    }

    private Future<Void> announce(String room, Optional<RoomPolicy> policy) {
        return policy.isPresent() ? announce(room, policy.get()) : Future.succeededFuture();
    }

    private Future<Void> announce(String room, RoomPolicy policy) {
        return relay.toRoom(
                room,
                envelope(
                        Kind.ROOM_UPDATED, room, policy.host(), ServerMessages.roomUpdated(policy.toPublicJson(room))));
    }

    private static Envelope envelope(Kind kind, String room, String memberId, JsonObject message) {
        return new Envelope(kind, room, memberId, message.encode());
    }
}
