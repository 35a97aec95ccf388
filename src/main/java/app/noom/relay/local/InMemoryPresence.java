package app.noom.relay.local;

import app.noom.protocol.MemberInfo;
import app.noom.protocol.RoomCount;
import app.noom.relay.Presence;
import app.noom.relay.RoomPolicy;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Presence for the embedded single node. Sessions live on several event loops, so access is serialised by one lock;
 * every operation is a few map updates, far below the cost of an event-bus hop. Count listeners run inside the lock
 * so that they observe changes in the order they happened. Private rooms are never announced.
 */
public final class InMemoryPresence implements Presence {
    private final Map<String, Room> rooms = new HashMap<>();
    private final Map<String, Map<String, Long>> bans = new HashMap<>();
    private final List<Consumer<RoomCount>> listeners = new CopyOnWriteArrayList<>();

    private static final class Room {
        final LinkedHashMap<String, MemberInfo> members = new LinkedHashMap<>();
        final Map<String, String> identities = new HashMap<>(); // memberId → token subject, for bans
        RoomPolicy policy;

        Room(RoomPolicy policy) {
            this.policy = policy;
        }
    }

    @Override
    public synchronized Future<JoinOutcome> join(JoinTicket ticket) {
        String id = ticket.member().id();
        long bannedUntil = bannedUntil(ticket.room(), id, ticket.identity());
        if (bannedUntil > System.currentTimeMillis())
            return Future.succeededFuture(new JoinOutcome.Banned(bannedUntil));
        Room room = rooms.computeIfAbsent(ticket.room(), r -> new Room(ticket.policyIfCreating()));
        boolean present = room.members.containsKey(id);
        if (!present && !room.members.isEmpty()) {
            if (room.policy.locked() && !ticket.passesLock()) return Future.succeededFuture(new JoinOutcome.Locked());
            if (room.members.size() >= ticket.maxMembers()) {
                return Future.succeededFuture(new JoinOutcome.Full(room.members.size()));
            }
        }
        List<MemberInfo> others = new ArrayList<>(room.members.values());
        others.removeIf(m -> m.id().equals(id));
        room.members.put(id, ticket.member());
        ticket.identity().ifPresent(identity -> room.identities.put(id, identity));
        if (!present) announce(ticket.room(), room);
        return Future.succeededFuture(new JoinOutcome.Admitted(others, room.members.size(), room.policy));
    }

    @Override
    public synchronized Future<Boolean> leave(String roomName, String memberId) {
        Room room = rooms.get(roomName);
        if (room == null || room.members.remove(memberId) == null) return Future.succeededFuture(false);
        room.identities.remove(memberId);
        if (room.members.isEmpty()) rooms.remove(roomName);
        announce(roomName, room);
        return Future.succeededFuture(true);
    }

    @Override
    public synchronized Future<Void> update(String roomName, MemberInfo member) {
        Room room = rooms.get(roomName);
        if (room != null) room.members.computeIfPresent(member.id(), (id, old) -> member);
        return Future.succeededFuture();
    }

    /** One node: a session never moves away from it. */
    @Override
    public void movedAway(String room, String memberId) {}

    @Override
    public synchronized Future<Boolean> rehost(String roomName, MemberInfo member) {
        Room room = rooms.get(roomName);
        return Future.succeededFuture(room != null && room.members.containsKey(member.id()));
    }

    @Override
    public synchronized Future<Optional<RoomPolicy>> policy(String roomName) {
        return Future.succeededFuture(Optional.ofNullable(rooms.get(roomName)).map(r -> r.policy));
    }

    @Override
    public synchronized Future<Optional<RoomPolicy>> lock(String roomName, boolean locked) {
        Room room = rooms.get(roomName);
        if (room == null) return Future.succeededFuture(Optional.empty());
        boolean changed = room.policy.locked() != locked;
        room.policy = room.policy.withLocked(locked);
        if (changed) announce(roomName, room); // the room list shows locked rooms
        return Future.succeededFuture(Optional.of(room.policy));
    }

    @Override
    public synchronized Future<Optional<RoomPolicy>> handHost(String roomName, String memberId) {
        Room room = rooms.get(roomName);
        if (room == null || !room.members.containsKey(memberId)) return Future.succeededFuture(Optional.empty());
        room.policy = room.policy.withHost(memberId);
        return Future.succeededFuture(Optional.of(room.policy));
    }

    @Override
    public synchronized Future<Optional<RoomPolicy>> passHostFrom(String roomName, String leaverId) {
        Room room = rooms.get(roomName);
        if (room == null || !room.policy.host().equals(leaverId) || room.members.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        room.policy = room.policy.withHost(room.members.keySet().iterator().next());
        return Future.succeededFuture(Optional.of(room.policy));
    }

    @Override
    public synchronized Future<KickOutcome> kick(
            String roomName, String requester, String target, long untilMillis, app.noom.fanout.Envelope notice) {
        Room room = rooms.get(roomName);
        if (room == null || !room.policy.host().equals(requester)) return Future.succeededFuture(KickOutcome.NOT_HOST);
        if (!room.members.containsKey(target)) return Future.succeededFuture(KickOutcome.UNKNOWN_MEMBER);
        Map<String, Long> roomBans = bans.computeIfAbsent(roomName, r -> new HashMap<>());
        roomBans.values().removeIf(until -> until < System.currentTimeMillis()); // keep the map small
        roomBans.put(target, untilMillis);
        String identity = room.identities.get(target);
        if (identity != null) roomBans.put(identityBanKey(identity), untilMillis);
        leave(roomName, target);
        return Future.succeededFuture(KickOutcome.KICKED);
    }

    private long bannedUntil(String roomName, String memberId, Optional<String> identity) {
        Map<String, Long> roomBans = bans.getOrDefault(roomName, Map.of());
        long byMember = roomBans.getOrDefault(memberId, 0L);
        long byIdentity =
                identity.map(i -> roomBans.getOrDefault(identityBanKey(i), 0L)).orElse(0L);
        return Math.max(byMember, byIdentity);
    }

    /** Ban entries for identities cannot collide with member ids ("m-…"). */
    static String identityBanKey(String identity) {
        return "sub:" + identity;
    }

    @Override
    public synchronized Future<List<RoomCount>> rooms() {
        List<RoomCount> list = new ArrayList<>(rooms.size());
        rooms.forEach((name, room) -> {
            if (!room.policy.privateRoom()) list.add(new RoomCount(name, room.members.size(), room.policy.locked()));
        });
        return Future.succeededFuture(list);
    }

    /** One room as the read-only admin view sees it: every room, private ones included. */
    public record RoomView(String name, RoomPolicy policy, List<MemberInfo> members) {}

    /** A consistent copy of every room and its members, for the admin view; changes nothing. */
    public synchronized List<RoomView> snapshot() {
        List<RoomView> list = new ArrayList<>(rooms.size());
        rooms.forEach((name, room) -> list.add(new RoomView(name, room.policy, List.copyOf(room.members.values()))));
        return list;
    }

    @Override
    public void onRoomCountChanged(Consumer<RoomCount> listener) {
        listeners.add(listener);
    }

    private void announce(String roomName, Room room) {
        if (room.policy.privateRoom()) return;
        RoomCount change = new RoomCount(roomName, room.members.size(), room.policy.locked());
        listeners.forEach(l -> l.accept(change));
    }
}
