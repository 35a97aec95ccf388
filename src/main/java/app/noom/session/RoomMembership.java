package app.noom.session;

import app.noom.fanout.Envelope;
import app.noom.fanout.NodeInboxes;
import app.noom.protocol.MediaState;
import app.noom.protocol.MemberInfo;
import app.noom.protocol.ServerMessages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One session's membership of one room: its listening on the room's address, the member ids it may signal, and its media state.
 * The session subscribes before it is admitted, so that nothing published in between is lost; envelopes that arrive
 * meanwhile wait here and are replayed, minus what the admission snapshot already told the client.
 *
 * <p>Members who left (or were kicked) are remembered as departed: whatever they still send — a chat published just
 * before their removal reached their node, a signal on another channel — is dropped here, so a removed member's
 * messages stop at its {@code member-left} on every node. A kick or a removal of this member itself ends the
 * membership ({@code onRemoved}).
 */
final class RoomMembership {
    final String room;
    private final String selfId;
    private final Consumer<Envelope> forward;
    private final Consumer<RoomMembership> onRemoved;
    // sized for a small room: every member of every room holds these for as long as it stays
    private final Set<String> members = new HashSet<>(4);
    private Set<String> departed =
            Collections.emptySet(); // oldest first, bounded; a LinkedHashSet from the first departure
    private static final int MAX_DEPARTED = 256;
    private List<Envelope> pending = new ArrayList<>();
    private NodeInboxes.Listening subscription;
    private boolean removed;
    private boolean admitted;
    MediaState media = MediaState.INITIAL;

    RoomMembership(String room, String selfId, Consumer<Envelope> forward, Consumer<RoomMembership> onRemoved) {
        this.room = room;
        this.selfId = selfId;
        this.forward = forward;
        this.onRemoved = onRemoved;
    }

    void subscribedWith(NodeInboxes.Listening listening) {
        this.subscription = listening;
    }

    boolean active() {
        return admitted && !removed;
    }

    boolean hasMember(String memberId) {
        return active() && members.contains(memberId);
    }

    /** Whether what {@code senderId} sends may still reach this member (it has not left or been kicked). */
    boolean acceptsFrom(String senderId) {
        return active() && !departed.contains(senderId);
    }

    /** Admission granted: the snapshot of who was there, then whatever arrived while waiting. */
    void activate(List<MemberInfo> others) {
        activateWith(others.stream().map(MemberInfo::id).toList());
    }

    /**
     * Activation from a known member list (a session arriving from another node). What waited meanwhile is delivered by
     * {@link #releasePending()}, once the client has the answer that put it in the room: nothing about a room before
     * {@code joined}.
     */
    void activateWith(List<String> memberIds) {
        members.addAll(memberIds);
        admitted = true;
    }

    /** Delivers what arrived while the admission was pending; from now on envelopes go straight through. */
    void releasePending() {
        if (pending == null) return;
        List<Envelope> waiting = pending;
        pending = null;
        waiting.forEach(this::deliver);
    }

    List<String> memberIds() {
        return List.copyOf(members);
    }

    void onEnvelope(Envelope envelope) {
        if (removed) return;
        if (pending != null) pending.add(envelope);
        else deliver(envelope);
    }

    void unsubscribe() {
        if (subscription != null) subscription.cancel(); // what is still on its way is for the others, not us
    }

    private void deliver(Envelope e) {
        boolean aboutSelf = selfId.equals(e.memberId());
        switch (e.kind()) {
            case MEMBER_JOINED -> {
                if (!departed.isEmpty()) departed.remove(e.memberId()); // a member may come back (after a ban, a leave)
                if (!aboutSelf && members.add(e.memberId())) forward.accept(e);
            }
            case MEMBER_LEFT -> {
                if (!aboutSelf) departed(e.memberId(), e); // our own (an earlier leave's echo) says nothing about now
            }
            case MEMBER_SWEPT -> {
                if (aboutSelf) removedFromRoom(leftNotice(e)); // this node was presumed dead (e.g. frozen) and swept
                else departed(e.memberId(), leftNotice(e));
            }
            case KICKED -> {
                if (aboutSelf) removedFromRoom(e);
                else departed(e.memberId(), leftNotice(e));
            }
            case MEMBER_UPDATED -> {
                if (!aboutSelf && members.contains(e.memberId())) forward.accept(e);
            }
            case CHAT -> {
                if (!departed.contains(e.memberId())) forward.accept(e);
            }
            case ROOM_UPDATED -> forward.accept(e);
            case ROOM_RESYNC -> resync(e);
            case SIGNAL, ROOM_CHANGED -> {} // never published to a room
        }
    }

    /** The room as presence has it after a gap: who is gone is departed, who is new may speak; the client is told. */
    private void resync(Envelope e) {
        Set<String> now = new HashSet<>();
        new io.vertx.core.json.JsonObject(e.json())
                .getJsonArray("members")
                .forEach(m -> now.add(((io.vertx.core.json.JsonObject) m).getString("id")));
        now.remove(selfId);
        List.copyOf(members).stream().filter(m -> !now.contains(m)).forEach(this::rememberDeparted);
        members.retainAll(now);
        if (!departed.isEmpty()) departed.removeAll(now);
        members.addAll(now);
        forward.accept(e);
    }

    /** What the others are told of a member a kick or a sweep removed: it left. */
    private Envelope leftNotice(Envelope removal) {
        return new Envelope(
                Envelope.Kind.MEMBER_LEFT,
                room,
                removal.memberId(),
                ServerMessages.memberLeft(room, removal.memberId()).encode(),
                removal.sentAtNanos());
    }

    private void departed(String memberId, Envelope leftNotice) {
        rememberDeparted(memberId);
        if (members.remove(memberId)) forward.accept(leftNotice);
    }

    private void rememberDeparted(String memberId) {
        if (departed.isEmpty()) departed = new LinkedHashSet<>(4);
        departed.add(memberId);
        if (departed.size() > MAX_DEPARTED) {
            Iterator<String> oldest = departed.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private void removedFromRoom(Envelope notice) {
        if (removed) return;
        removed = true;
        forward.accept(notice);
        onRemoved.accept(this);
    }
}
