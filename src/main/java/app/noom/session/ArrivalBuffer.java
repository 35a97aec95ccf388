package app.noom.session;

import app.noom.fanout.Addresses;
import app.noom.fanout.Envelope;
import app.noom.fanout.NodeInboxes;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The landing side of a session moving here from another node. Before the old node is asked to stop, this node
 * listens — confirmed by Redis — to the member's channel and its rooms, and keeps what arrives; the restored session
 * then adopts these subscriptions and receives the kept envelopes minus those the old node already delivered (its
 * {@link DeliveryWatermarks}). Nothing published during the move falls between the two nodes.
 */
final class ArrivalBuffer {
    private record Arrival(String address, Envelope envelope) {}

    private final SessionServices services;
    private final String memberId;
    private final Map<String, NodeInboxes.Listening> rooms = new HashMap<>();
    private final Map<String, Consumer<Envelope>> targets = new HashMap<>();
    private NodeInboxes.Listening direct;
    private List<Arrival> kept = new ArrayList<>();

    private ArrivalBuffer(SessionServices services, String memberId) {
        this.services = services;
        this.memberId = memberId;
    }

    /** Starts listening for {@code memberId} and its rooms; completes when the cluster confirmed every subscription. */
    static Future<ArrivalBuffer> open(SessionServices services, String memberId, List<String> roomNames) {
        ArrivalBuffer buffer = new ArrivalBuffer(services, memberId);
        List<Future<?>> confirmed = new ArrayList<>();
        buffer.direct = services.mailboxes().inbox(memberId, buffer.keeper(Addresses.member(memberId)));
        confirmed.add(services.mailboxes().hosted(memberId));
        for (String room : roomNames) {
            buffer.rooms.put(room, services.rooms().inbox(room, buffer.keeper(Addresses.room(room))));
            confirmed.add(services.rooms().listenHere(room));
        }
        return Future.all(confirmed).map(buffer);
    }

    /** Keeps what arrives for {@code address} until the release, then passes it to the adopted target. */
    private Consumer<Envelope> keeper(String address) {
        return envelope -> {
            if (kept != null) kept.add(new Arrival(address, envelope));
            else Optional.ofNullable(targets.get(address)).ifPresent(t -> t.accept(envelope));
        };
    }

    /** The subscription to {@code room} this buffer holds (it then counts as the session's membership), if any. */
    Optional<NodeInboxes.Listening> adoptRoom(String room, Consumer<Envelope> target) {
        NodeInboxes.Listening consumer = rooms.remove(room);
        if (consumer != null) targets.put(Addresses.room(room), target);
        return Optional.ofNullable(consumer);
    }

    NodeInboxes.Listening adoptDirect(Consumer<Envelope> target) {
        targets.put(Addresses.member(memberId), target);
        return direct;
    }

    /**
     * Rooms the moved session is no longer in are let go; then what was kept goes to its new owners, minus what the
     * old node had already delivered, and from now on envelopes pass straight through.
     */
    void release(DeliveryWatermarks delivered) {
        rooms.forEach((room, consumer) -> {
            consumer.cancel();
            services.rooms().stopListeningHere(room);
            targets.remove(Addresses.room(room));
        });
        rooms.clear();
        List<Arrival> arrivals = kept;
        kept = null;
        for (Arrival a : arrivals) {
            Consumer<Envelope> target = targets.get(a.address());
            if (target != null && !delivered.alreadySeen(a.envelope())) target.accept(a.envelope());
        }
    }

    /** The move did not happen: stop listening. */
    void abandon() {
        direct.cancel();
        services.mailboxes().gone(memberId);
        rooms.forEach((room, consumer) -> {
            consumer.cancel();
            services.rooms().stopListeningHere(room);
        });
        rooms.clear();
        kept = null;
    }
}
