package app.noom.relay.local;

import app.noom.fanout.Addresses;
import app.noom.fanout.Envelope;
import app.noom.fanout.NodeInboxes;
import app.noom.relay.ClusterRelay;
import app.noom.relay.LocalRoomCounter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The embedded single-node relay: every session is local, so {@link NodeInboxes} is the whole story. Room messages are
 * published from one context (the one that built the relay): sessions on several event loops then cannot interleave
 * a room's broadcasts differently for different members — every member sees one order per room (I4). That order is the
 * order of {@link NodeInboxes#deliver} calls on the context's thread, so a caller already on that thread (another
 * context of the same event loop, e.g. with one HTTP instance) delivers at once instead of taking two task hops.
 */
public final class LocalRelay implements ClusterRelay {
    private final NodeInboxes inboxes;
    private final Context roomOrder;
    private final Thread roomOrderThread;
    private final LocalRoomCounter localRooms = new LocalRoomCounter();

    /** Must be called on the context that will order room messages. */
    public LocalRelay(NodeInboxes inboxes) {
        this.inboxes = inboxes;
        this.roomOrder = Vertx.currentContext();
        this.roomOrderThread = Thread.currentThread();
    }

    @Override
    public Future<Void> toMember(String memberId, Envelope envelope) {
        inboxes.deliver(Addresses.member(memberId), envelope);
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> toRoom(String room, Envelope envelope) {
        Context caller = Vertx.currentContext();
        if (caller == roomOrder || roomOrder == null || Thread.currentThread() == roomOrderThread) {
            inboxes.deliver(Addresses.room(room), envelope);
            return Future.succeededFuture();
        }
        Promise<Void> published = Promise.promise();
        roomOrder.runOnContext(v -> {
            inboxes.deliver(Addresses.room(room), envelope);
            if (caller == null) published.complete();
            else caller.runOnContext(x -> published.complete());
        });
        return published.future();
    }

    /** One node: the session checked its membership before sending, and room order is this relay's own. */
    @Override
    public Future<Void> fromMember(String room, String to, Envelope envelope) {
        return to == null ? toRoom(room, envelope) : toMember(to, envelope);
    }

    @Override
    public Future<Void> localMemberAdded(String room) {
        localRooms.added(room);
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> localMemberRemoved(String room) {
        localRooms.removed(room);
        return Future.succeededFuture();
    }

    @Override
    public LocalRoomCounter localRooms() {
        return localRooms;
    }

    @Override
    public Future<Void> sessionHosted(String memberId) {
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> sessionGone(String memberId) {
        return Future.succeededFuture();
    }

    @Override
    public boolean healthy() {
        return true;
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }
}
