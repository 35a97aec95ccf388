package app.noom.relay;

import app.noom.fanout.Addresses;
import app.noom.fanout.Envelope;
import app.noom.fanout.NodeInboxes;
import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * How a session is reached by its member id, wherever it is connected: its inbox on this node, and the cluster's
 * confirmed record that the id is served here. Also the node-wide room-list feed. Rooms are reached through the room
 * layer, never from here.
 */
public final class SessionMailboxes {
    private final ClusterRelay relay;
    private final NodeInboxes inboxes;

    public SessionMailboxes(ClusterRelay relay, NodeInboxes inboxes) {
        this.relay = relay;
        this.inboxes = inboxes;
    }

    /** What is sent to {@code memberId} on this node goes to {@code receiver}. */
    public NodeInboxes.Listening inbox(String memberId, Consumer<Envelope> receiver) {
        return inboxes.listen(Addresses.member(memberId), receiver);
    }

    /** The cluster delivers {@code memberId}'s messages here; completes once that is confirmed. */
    public Future<Void> hosted(String memberId) {
        return relay.sessionHosted(memberId);
    }

    /** The session left this node (closed, or moved elsewhere). */
    public void gone(String memberId) {
        relay.sessionGone(memberId);
    }

    /** Room-list changes (head-counts, locks) pushed to every session that watches the list. */
    public NodeInboxes.Listening roomListFeed(Consumer<Envelope> receiver) {
        return inboxes.listen(Addresses.ROOM_LIST, receiver);
    }
}
