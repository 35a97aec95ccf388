package app.noom.relay;

import app.noom.fanout.Addresses;
import app.noom.fanout.Envelope;
import io.vertx.core.Future;

/**
 * How an envelope reaches sessions, wherever they are connected. Within a node every implementation uses the event
 * bus ({@link Addresses}); a clustered implementation also carries envelopes to other nodes. Room logic only sees this
 * interface. A returned future fails with {@link RelayUnavailableException} when the message had to leave the node
 * and could not.
 */
public interface ClusterRelay {

    /** One member, by its public id. */
    Future<Void> toMember(String memberId, Envelope envelope);

    /** Every member of a room. */
    Future<Void> toRoom(String room, Envelope envelope);

    /**
     * What a member says in a room (chat, media, a signal to one member): delivered only if its sender (the envelope's
     * member) is still in the room where the message is ordered; otherwise fails with {@link NotInRoomException} and
     * reaches nobody. {@code to} is the recipient of a directed message, or null for the whole room.
     */
    Future<Void> fromMember(String room, String to, Envelope envelope);

    /** This node now has a session in {@code room} (counted: called once per local membership). */
    Future<Void> localMemberAdded(String room);

    /** A local membership of {@code room} ended. */
    Future<Void> localMemberRemoved(String room);

    /** A session with this public id is now connected to this node (directed messages for it must reach it here). */
    Future<Void> sessionHosted(String memberId);

    /** The session left this node (closed, or moved elsewhere by a resume). */
    Future<Void> sessionGone(String memberId);

    /** Rooms in which this node has members, and how many it has in one (for the per-node room limit). */
    LocalRoomCounter localRooms();

    /** Whether messages can currently leave this node (always true for a single node). */
    boolean healthy();

    /**
     * Whether the node should take new sessions: the broker works for it. A broker made of shards may be partly down and
     * still serve the rooms of the others ({@link #partsDown}).
     */
    default boolean ready() {
        return healthy();
    }

    /** The parts of the broker that are down while the node stays ready (shards, with their slot ranges); no secrets. */
    default java.util.List<String> partsDown() {
        return java.util.List.of();
    }

    Future<Void> close();
}
