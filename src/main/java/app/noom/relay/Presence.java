package app.noom.relay;

import app.noom.fanout.Envelope;
import app.noom.protocol.MemberInfo;
import app.noom.protocol.RoomCount;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Who is in which room, as every node sees it. The single-node implementation keeps it in memory; the clustered one
 * keeps it where all nodes can read it. Admission (the room-size limit) is decided here, atomically.
 */
public interface Presence {

    /**
     * Admits the ticket's member unless the room is full, locked (and the ticket may not pass locks) or has banned it.
     * The room exists from its first member, whose ticket's policy becomes the room's.
     */
    Future<JoinOutcome> join(JoinTicket ticket);

    /** Admission to an open, public room created by this member if absent. */
    default Future<JoinOutcome> join(String room, MemberInfo member, int maxMembers) {
        return join(new JoinTicket(
                room,
                member,
                maxMembers,
                RoomPolicy.createdBy(member.id(), false, Optional.empty()),
                false,
                Optional.empty()));
    }

    /** The room's current policy; empty when the room does not exist. */
    Future<Optional<RoomPolicy>> policy(String room);

    /** Locks or unlocks; empty when the room does not exist. */
    Future<Optional<RoomPolicy>> lock(String room, boolean locked);

    /** Makes {@code memberId} host if it is a member; empty otherwise. */
    Future<Optional<RoomPolicy>> handHost(String room, String memberId);

    /**
     * After {@code leaverId} left: if it was host and members remain, the first of them becomes host; the new policy,
     * or empty if nothing changed.
     */
    Future<Optional<RoomPolicy>> passHostFrom(String room, String leaverId);

    /**
     * The host removes a member, atomically: {@code requester} must be host and {@code target} a member; the target is
     * banned until {@code untilMillis} (epoch) — its member id and, if it joined with one, its identity — and removed
     * from the room wherever its session lives. If that is a dead node, {@code notice} is kept for the target's resume
     * (it would otherwise come back believing it is still in the room).
     */
    Future<KickOutcome> kick(String room, String requester, String target, long untilMillis, Envelope notice);

    /** {@code KICKED_AND_ANNOUNCED}: the notice went to the room in the same step; {@code KICKED}: the caller sends it. */
    enum KickOutcome {
        KICKED,
        KICKED_AND_ANNOUNCED,
        NOT_HOST,
        UNKNOWN_MEMBER
    }

    /**
     * Removes the member; the room disappears with its last member. Leaving a room one is not in does nothing and
     * answers false — a kick that removed the member first has then had its notice handed to this node's listeners.
     */
    Future<Boolean> leave(String room, String memberId);

    /** Replaces what others see of a member (nickname, media state). */
    Future<Void> update(String room, MemberInfo member);

    /**
     * The member's session moved to this node (a resume from another node): same member, same rooms, new host, and no
     * head-count change. False if the member is no longer in the room; a kick's notice, published in the same step as
     * the removal, has then already been handed to this node's listeners of the room.
     */
    Future<Boolean> rehost(String room, MemberInfo member);

    /**
     * The member's session was handed over to another node: this node no longer backs its entry (the claimant moves it
     * with {@link #rehost}). Nothing changes in the room.
     */
    void movedAway(String room, String memberId);

    /** The live room list. */
    Future<List<RoomCount>> rooms();

    /**
     * Called, in order, whenever a public room's head-count (0 = the room is gone) or lock changes, whichever node
     * changed it.
     */
    void onRoomCountChanged(Consumer<RoomCount> listener);

    /**
     * A request to enter: the policy applies if it creates the room; {@code passesLock} for token-granted hosts;
     * {@code identity} (a token's subject) is checked against the room's bans and banned with the member on a kick.
     */
    record JoinTicket(
            String room,
            MemberInfo member,
            int maxMembers,
            RoomPolicy policyIfCreating,
            boolean passesLock,
            Optional<String> identity) {}

    sealed interface JoinOutcome {
        record Admitted(List<MemberInfo> others, int count, RoomPolicy policy) implements JoinOutcome {}

        record Full(int count) implements JoinOutcome {}

        record Locked() implements JoinOutcome {}

        record Banned(long untilMillis) implements JoinOutcome {}
    }
}
