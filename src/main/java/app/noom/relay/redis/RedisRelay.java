package app.noom.relay.redis;

import app.noom.fanout.Addresses;
import app.noom.fanout.Envelope;
import app.noom.fanout.NodeInboxes;
import app.noom.metrics.NoomMetrics;
import app.noom.protocol.MemberInfo;
import app.noom.protocol.ServerMessages;
import app.noom.relay.ClusterRelay;
import app.noom.relay.LocalRoomCounter;
import app.noom.relay.RelayUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries envelopes between nodes over Redis pub/sub; inside each node {@link NodeInboxes} does the fan-out of what
 * comes back from Redis.
 * Channels are subscribed only while needed: a room's while this node has members in it, a member's while its session
 * is hosted here. When Redis is down, what can be served locally still is; what must leave the node fails with
 * {@link RelayUnavailableException} instead of vanishing.
 */
public final class RedisRelay implements ClusterRelay {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRelay.class);
    private final String nodeId;
    private final NodeInboxes inboxes;
    private final RedisConnector redis;
    private final DirectChannels direct;
    private final LocalRoomCounter localRooms = new LocalRoomCounter();
    private final Set<String> localMembers = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> clusterRoomCounts; // last known head-counts, fed by presence
    private final Map<String, RoomSubscription> roomSubscriptions = new java.util.HashMap<>();

    private final NoomMetrics metrics;
    private final java.util.function.Consumer<Envelope> policyChanges;

    /** {@code policyChanges} hears every {@code room-updated} this node receives (presence keeps rooms' policies). */
    RedisRelay(
            String nodeId,
            NodeInboxes inboxes,
            RedisConnector redis,
            DirectChannels direct,
            Map<String, Integer> clusterRoomCounts,
            java.util.function.Consumer<Envelope> policyChanges,
            NoomMetrics metrics) {
        this.direct = direct;
        this.metrics = metrics;
        this.policyChanges = policyChanges;
        this.nodeId = nodeId;
        this.inboxes = inboxes;
        this.redis = redis;
        this.clusterRoomCounts = clusterRoomCounts;
    }

    /**
     * Directed messages cross Redis even between two sessions of this node: the member's channel in the room is then
     * the one order of everything sent to it there, wherever its senders and itself are, and a session moving to
     * another node takes that order along (a local shortcut would race with the move and lose or reorder). Only while
     * Redis is down does a message to a member hosted here take the local bus.
     */
    @Override
    public Future<Void> toMember(String memberId, Envelope envelope) {
        return redis.run(() -> {
            if (redis.healthy()) {
                return redis.publishCounted(RedisKeys.directChannel(envelope.room(), memberId), stamped(envelope))
                        .compose(receivers -> receivers > 0
                                ? Future.succeededFuture()
                                : keepForResume(envelope.room(), memberId, envelope.encode()));
            }
            if (!localMembers.contains(memberId)) return unavailable();
            inboxes.deliver(Addresses.member(memberId), envelope);
            return Future.succeededFuture();
        });
    }

    /** This node's next message on a channel (runs on the connector's context, where serials are assigned). */
    private String stamped(Envelope envelope) {
        return ClusterPayload.encode(nodeId, redis.nextSerial(), envelope);
    }

    /** Nobody hosts the member right now: keep the envelope (bounded, briefly) for the node that resumes it. */
    private Future<Void> keepForResume(String room, String memberId, String payload) {
        return redis.eval(LuaScripts.KEEP_ORPHAN, List.of(RedisKeys.orphans(room, memberId)), List.of(payload))
                .mapEmpty();
    }

    /**
     * A room message reaches this node's own members the way it reaches every other node's: back from Redis, on the
     * subscriber connection. Redis orders a channel's messages once, so every member of the room, on every node, sees
     * the room's broadcasts in that one order (I4), and a message Redis did not take reached nobody (I6). While Redis is
     * down, a room whose members are all on this node still works, in the order of this node's connector context.
     */
    @Override
    public Future<Void> toRoom(String room, Envelope envelope) {
        return redis.run(() -> {
            if (redis.healthy()) return redis.publish(RedisKeys.roomChannel(room), stamped(envelope));
            if (!allMembersLocal(room)) return unavailable();
            inboxes.deliver(Addresses.room(room), envelope);
            return Future.succeededFuture();
        });
    }

    /**
     * Checked and published in one script ({@code relay.lua}): a member removed from the room (kicked, swept) before its
     * message is ordered gets {@code not_in_room}, so an ack always means "delivered in the room's order while a member".
     */
    @Override
    public Future<Void> fromMember(String room, String to, Envelope envelope) {
        return redis.run(() -> {
            if (!redis.healthy()) {
                if (to == null ? allMembersLocal(room) : localMembers.contains(to)) {
                    if (to == null) inboxes.deliver(Addresses.room(room), envelope); // only while Redis is down
                    else inboxes.deliver(Addresses.member(to), envelope);
                    return Future.succeededFuture();
                }
                return unavailable();
            }
            List<String> keys = to == null
                    ? List.of(RedisKeys.roomMembers(room))
                    : List.of(RedisKeys.roomMembers(room), RedisKeys.orphans(room, to));
            List<String> args = to == null
                    ? List.of(envelope.memberId(), RedisKeys.roomChannel(room), stamped(envelope), "", "")
                    : List.of(
                            envelope.memberId(),
                            RedisKeys.directChannel(room, to),
                            stamped(envelope),
                            to,
                            envelope.encode());
            return redis.eval(LuaScripts.RELAY, keys, args)
                    .compose(reply -> reply.toLong() < 0
                            ? Future.failedFuture(new app.noom.relay.NotInRoomException(room))
                            : Future.succeededFuture());
        });
    }

    /**
     * Counted on the connector's context, so a last member leaving on one event loop and a first member joining on
     * another cannot reorder the UNSUBSCRIBE and SUBSCRIBE. Completes when Redis has confirmed the subscription: a member
     * is admitted only after that, so nothing published after its admission can miss this node (I3).
     */
    @Override
    public Future<Void> localMemberAdded(String room) {
        localRooms.added(room);
        return redis.run(() -> {
            RoomSubscription subscription = roomSubscriptions.computeIfAbsent(room, r -> new RoomSubscription());
            if (subscription.members++ == 0) subscription.confirmed = redis.subscribe(RedisKeys.roomChannel(room));
            return subscription.confirmed;
        });
    }

    @Override
    public Future<Void> localMemberRemoved(String room) {
        localRooms.removed(room);
        return redis.run(() -> {
            RoomSubscription subscription = roomSubscriptions.get(room);
            if (subscription == null || --subscription.members > 0) return Future.succeededFuture();
            roomSubscriptions.remove(room);
            return redis.unsubscribe(RedisKeys.roomChannel(room));
        });
    }

    /** How many local memberships want a room's channel; touched only on the connector's context. */
    private static final class RoomSubscription {
        int members;
        Future<Void> confirmed;
    }

    @Override
    public LocalRoomCounter localRooms() {
        return localRooms;
    }

    /**
     * Nothing to subscribe yet: a member's directed channels are per room, listened to when it joins a room
     * ({@link RedisPresence#join}) or when its session is claimed from another node ({@link RedisSessionDirectory}).
     */
    @Override
    public Future<Void> sessionHosted(String memberId) {
        localMembers.add(memberId);
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> sessionGone(String memberId) {
        localMembers.remove(memberId);
        return direct.stopAll(memberId);
    }

    @Override
    public boolean healthy() {
        return redis.healthy();
    }

    /**
     * Ready while Redis is reachable, some shard answers, and the shard of this node's own liveness key answers: without
     * it the node cannot show it is alive, and once that shard is back the others would take it for dead and sweep its
     * members, so new sessions are better placed on another node.
     */
    @Override
    public boolean ready() {
        return redis.healthy() && !redis.allShardsDown() && redis.shardUp(RedisKeys.nodeAlive(nodeId));
    }

    @Override
    public List<String> partsDown() {
        return redis.shardsDown();
    }

    @Override
    public Future<Void> close() {
        return redis.close();
    }

    /** A message from Redis, our own included: hand it to this node's listeners (see {@link ClusterPayload}). */
    void onRedisMessage(String channel, String payload) {
        metrics.relayLatency("cluster", ClusterPayload.ageMicros(payload) * 1_000);
        Envelope envelope = ClusterPayload.decode(payload);
        if (RedisKeys.isRoomChannel(channel)) {
            if (envelope.kind() == Envelope.Kind.ROOM_UPDATED) policyChanges.accept(envelope);
            inboxes.deliver(Addresses.room(envelope.room()), envelope);
            return;
        }
        String member = RedisKeys.memberOfDirectChannel(channel);
        if (member != null) inboxes.deliver(Addresses.member(member), envelope);
    }

    /**
     * The room's channels were not subscribed here for a while (a shard switch) and are again, confirmed: tells this
     * node's members of the room, with the membership read now — after the confirmation, so any change after this read
     * reaches them as a normal {@code member-joined}/{@code member-left}. Answers false, sending nothing, when the read
     * lacks one of this node's own members ({@code ours}) and {@code anyway} is false: presence is not settled yet
     * (republished members after Redis lost them), and a list without them would tell the clients they are gone. If the
     * read fails, Redis is gone again, and the next reconnection opens a new gap and a new resync.
     */
    Future<Boolean> resync(String room, java.util.Set<String> ours, boolean anyway) {
        if (localRooms.membersIn(room) == 0) return Future.succeededFuture(true);
        return redis.send(Request.cmd(Command.HGETALL).arg(RedisKeys.roomMembers(room)))
                .map(reply -> {
                    List<MemberInfo> members = RedisReplies.hash(reply).values().stream()
                            .map(json -> MemberInfo.fromJson(new JsonObject(json)))
                            .toList();
                    if (!anyway
                            && !members.stream().map(MemberInfo::id).toList().containsAll(ours)) return false;
                    metrics.redisRoomResynced();
                    String message = ServerMessages.encode(ServerMessages.roomResync(room, members));
                    inboxes.deliver(Addresses.room(room), Envelope.roomResync(room, message));
                    return true;
                })
                .recover(e -> {
                    LOG.warn("room membership not read after a shard switch: {}", e.getMessage());
                    return Future.succeededFuture(true);
                });
    }

    /** Hands {@code envelope} to this node's own members of {@code room} only (what the others already heard). */
    void toLocalMembers(String room, Envelope envelope) {
        inboxes.deliver(Addresses.room(room), envelope);
    }

    private boolean allMembersLocal(String room) {
        return clusterRoomCounts.getOrDefault(room, 0) <= localRooms.membersIn(room);
    }

    private static Future<Void> unavailable() {
        return Future.failedFuture(new RelayUnavailableException("redis unavailable"));
    }
}
