package app.noom.relay.redis;

import static app.noom.relay.redis.RedisKeys.*;

import app.noom.fanout.Envelope;
import app.noom.protocol.MemberInfo;
import app.noom.protocol.RoomCount;
import app.noom.relay.Presence;
import app.noom.relay.RelayUnavailableException;
import app.noom.relay.RoomPolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Presence every node can read: per-room member hashes, the room-count hash, and per-node member sets for the sweeper.
 * Admission and counts change inside Lua scripts, which also publish the new head-count, so every node sees count
 * changes in one order. A mirror of this node's own members lets it republish its presence after Redis comes back.
 */
public final class RedisPresence implements Presence {
    private final String nodeId;
    private final RedisConnector redis;
    private final Map<String, Map<String, MemberInfo>> localMembers = new ConcurrentHashMap<>();
    /** Last policy seen per room with local members: republished if Redis comes back empty. */
    private final Map<String, RoomPolicy> knownPolicies = new ConcurrentHashMap<>();

    private final DirectChannels direct;
    private final RoomList roomList;

    RedisPresence(String nodeId, RedisConnector redis, DirectChannels direct, RoomList roomList) {
        this.direct = direct;
        this.roomList = roomList;
        this.nodeId = nodeId;
        this.redis = redis;
    }

    @Override
    public Future<JoinOutcome> join(JoinTicket ticket) {
        String room = ticket.room();
        MemberInfo member = ticket.member();
        // listening (confirmed) before admission: a signal sent to the member right after it cannot miss this node
        Future<JoinOutcome> outcome = direct.listen(room, member.id())
                .compose(v -> runJoin(ticket))
                .map(response -> switch (response.get(0).toInteger()) {
                    case 0 -> new JoinOutcome.Full(response.get(1).toInteger());
                    case 2 -> new JoinOutcome.Locked();
                    case 3 -> new JoinOutcome.Banned(response.get(1).toLong());
                    default -> {
                        rememberLocally(room, member);
                        RoomPolicy policy = RedisReplies.policy(response.get(3)).orElse(ticket.policyIfCreating());
                        knownPolicies.put(room, policy);
                        yield new JoinOutcome.Admitted(
                                RedisReplies.members(response.get(2), member.id()),
                                response.get(1).toInteger(),
                                policy);
                    }
                });
        return outcome.andThen(result -> {
            if (result.result() instanceof JoinOutcome.Admitted) return;
            direct.stop(room, member.id());
            nodeSet(Command.SREM, nodeId, room, member.id()); // added before join.lua, which refused
        });
    }

    @Override
    public Future<Optional<RoomPolicy>> policy(String room) {
        return command(Request.cmd(Command.HGETALL).arg(roomPolicy(room))).map(RedisReplies::policy);
    }

    @Override
    public Future<Optional<RoomPolicy>> lock(String room, boolean locked) {
        return policyScript(room, "lock", locked ? "1" : "0");
    }

    @Override
    public Future<Optional<RoomPolicy>> handHost(String room, String memberId) {
        return policyScript(room, "host", memberId);
    }

    @Override
    public Future<Optional<RoomPolicy>> passHostFrom(String room, String leaverId) {
        return policyScript(room, "pass", leaverId);
    }

    @Override
    public Future<KickOutcome> kick(String room, String requester, String target, long untilMillis, Envelope notice) {
        return redis.run(() -> eval(
                        LuaScripts.KICK,
                        List.of(
                                roomMembers(room),
                                roomListVersion(room),
                                roomPolicy(room),
                                roomBans(room),
                                roomIdentities(room),
                                orphans(room, target)),
                        List.of(
                                requester,
                                target,
                                String.valueOf(untilMillis),
                                room,
                                ROOM_COUNTS_CHANNEL,
                                notice.encode(),
                                directChannel(room, target),
                                roomChannel(room),
                                ClusterPayload.encode(nodeId, redis.nextSerial(), notice))))
                .map(response -> {
                    if (response.type() != ResponseType.MULTI) {
                        return response.toInteger() == 0 ? KickOutcome.NOT_HOST : KickOutcome.UNKNOWN_MEMBER;
                    }
                    roomList.write(room, response.get(1));
                    return KickOutcome.KICKED_AND_ANNOUNCED;
                });
    }

    private Future<Optional<RoomPolicy>> policyScript(String room, String operation, String value) {
        return eval(
                        LuaScripts.POLICY,
                        List.of(roomPolicy(room), roomMembers(room), roomListVersion(room)),
                        List.of(operation, value, room, ROOM_COUNTS_CHANNEL))
                .map(reply -> {
                    if (reply.size() < 2) return Optional.<RoomPolicy>empty();
                    roomList.write(room, reply.get(1));
                    return RedisReplies.policy(reply.get(0));
                })
                .onSuccess(policy -> policy.ifPresent(p -> knownPolicies.computeIfPresent(room, (r, old) -> p)));
    }

    /**
     * A room's policy changed, maybe on another node ({@code room-updated} on the room's channel): what this node
     * republishes if Redis comes back empty is the room as it is now — still locked, with its current host.
     */
    void policyAnnounced(String room, JsonObject roomUpdated) {
        knownPolicies.computeIfPresent(
                room,
                (r, old) -> old.withHost(roomUpdated.getString("host", old.host()))
                        .withLocked(roomUpdated.getBoolean("locked", old.locked())));
    }

    @Override
    public Future<Boolean> leave(String room, String memberId) {
        forgetLocally(room, memberId);
        // -2: already removed — whatever removed it (a kick) announced it in the same script, before ours ran; -1: its
        // entry names another node (a session rebuilt here whose rehost has not landed): the leave is still announced
        // the channel is dropped on the connector's context as leave.lua's answer arrives: a rejoin's listen, which
        // follows the leave's answer, cannot be undone by it
        Future<Integer> removed =
                redis.run(() -> removeMember(nodeId, room, memberId).andThen(done -> direct.stop(room, memberId)));
        return removed.compose(count -> count != -2
                ? Future.succeededFuture(true)
                : redis.subscriberBarrier(room).map(false));
    }

    @Override
    public Future<Void> update(String room, MemberInfo member) {
        localMembers.computeIfPresent(room, (r, members) -> {
            members.computeIfPresent(member.id(), (id, old) -> member);
            return members;
        });
        return eval(LuaScripts.UPDATE, List.of(roomMembers(room)), List.of(member.id(), encode(member)))
                .mapEmpty();
    }

    @Override
    public void movedAway(String room, String memberId) {
        forgetLocally(room, memberId);
        direct.stop(room, memberId);
    }

    @Override
    public Future<Boolean> rehost(String room, MemberInfo member) {
        // this node's entry first, the previous host's removed after: a death in between leaves one entry too many
        // (which its sweeper or StrayMembers finds hosted elsewhere), never none
        Future<Response> moved = redis.run(() -> Future.all(
                        nodeSet(Command.SADD, nodeId, room, member.id()),
                        eval(LuaScripts.REHOST, List.of(roomMembers(room)), List.of(member.id(), encode(member))))
                .map(both -> both.<Response>resultAt(1)));
        return moved.compose(response -> {
            if (response.type() == ResponseType.MULTI) {
                String previous = response.get(1).toString();
                if (!previous.isEmpty() && !previous.equals(nodeId)) nodeSet(Command.SREM, previous, room, member.id());
                rememberLocally(room, member);
                return Future.succeededFuture(true);
            }
            nodeSet(Command.SREM, nodeId, room, member.id());
            // Whatever removed the member (a kick, a sweep) announced it in the same script, before this one ran: wait
            // until that notice is in, so the session hears "kicked", not a bare removal (I5).
            return redis.subscriberBarrier(room).map(false).andThen(done -> direct.stop(room, member.id()));
        });
    }

    @Override
    public Future<List<RoomCount>> rooms() {
        if (!redis.healthy()) return Future.failedFuture(new RelayUnavailableException("redis unavailable"));
        return roomList.read();
    }

    @Override
    public void onRoomCountChanged(Consumer<RoomCount> listener) {
        roomList.listen(listener);
    }

    /**
     * Removes one member hosted by {@code hostNode} (this node, or a dead one being swept): its count left, -2 if it was
     * not there, -1 if another node hosts it. The host's node set entry goes after the script (another slot), issued on
     * the connector's context as the answer arrives, so a rejoin's entry, added later, stays.
     */
    Future<Integer> removeMember(String hostNode, String room, String memberId) {
        return redis.run(() -> eval(
                        LuaScripts.LEAVE,
                        List.of(roomMembers(room), roomPolicy(room), roomIdentities(room), roomListVersion(room)),
                        List.of(memberId, room, ROOM_COUNTS_CHANNEL, hostNode))
                .map(reply -> {
                    nodeSet(Command.SREM, hostNode, room, memberId);
                    if (reply.size() > 1) roomList.write(room, reply.get(1));
                    return reply.get(0).toInteger();
                }));
    }

    private Future<Response> nodeSet(Command command, String node, String room, String memberId) {
        return NodeMemberSets.update(redis, command, node, room, memberId);
    }

    /**
     * After this node was swept: forgets every local member that is no longer in its room's presence, telling
     * {@code evicted} about each (its session is then told it is out); the others are republished as usual.
     */
    Future<Void> evictAbsent(java.util.function.BiConsumer<String, String> evicted) {
        List<Future<?>> checks = new ArrayList<>();
        localMembers.forEach((room, members) -> members.keySet()
                .forEach(memberId -> checks.add(command(Request.cmd(Command.HEXISTS)
                                .arg(roomMembers(room))
                                .arg(memberId))
                        .onSuccess(present -> {
                            if (present.toInteger() == 1) return;
                            forgetLocally(room, memberId);
                            evicted.accept(room, memberId);
                        }))));
        return Future.all(checks).mapEmpty();
    }

    Future<Void> republish() {
        List<Future<?>> all = new ArrayList<>();
        localMembers.forEach((room, members) -> members.values()
                .forEach(m -> all.add(runJoin(new JoinTicket(
                        room,
                        m,
                        Integer.MAX_VALUE,
                        knownPolicies.getOrDefault(room, RoomPolicy.createdBy(m.id(), false, Optional.empty())),
                        true,
                        Optional.empty())))));
        return Future.all(all).mapEmpty();
    }

    /**
     * The mirror of this node's members (republished after Redis returns). Sessions of one room live on several event
     * loops: each change is one atomic {@code compute} on the room's entry, so a last member leaving on one loop cannot
     * drop the entry a first member just added on another.
     */
    private void rememberLocally(String room, MemberInfo member) {
        localMembers.compute(room, (r, members) -> {
            Map<String, MemberInfo> updated = members != null ? members : new ConcurrentHashMap<>();
            updated.put(member.id(), member);
            return updated;
        });
    }

    private void forgetLocally(String room, String memberId) {
        localMembers.computeIfPresent(room, (r, members) -> {
            members.remove(memberId);
            if (!members.isEmpty()) return members;
            knownPolicies.remove(room);
            return null;
        });
    }

    /** This node's own members of {@code room}. */
    java.util.Set<String> localMemberIds(String room) {
        Map<String, MemberInfo> members = localMembers.get(room);
        return members == null ? java.util.Set.of() : java.util.Set.copyOf(members.keySet());
    }

    /** Whether this node still hosts {@code memberId} in {@code room} (the reconciler drops stale entries otherwise). */
    boolean hostsLocally(String room, String memberId) {
        Map<String, MemberInfo> members = localMembers.get(room);
        return members != null && members.containsKey(memberId);
    }

    private Future<Response> runJoin(JoinTicket ticket) {
        String room = ticket.room();
        MemberInfo member = ticket.member();
        RoomPolicy creating = ticket.policyIfCreating();
        // the node set entry first (another slot): a death right after join.lua must leave the sweeper something to
        // find
        return redis.run(() -> Future.all(
                        nodeSet(Command.SADD, nodeId, room, member.id()),
                        eval(
                                LuaScripts.JOIN,
                                List.of(
                                        roomMembers(room),
                                        roomPolicy(room),
                                        roomBans(room),
                                        roomIdentities(room),
                                        roomListVersion(room)),
                                List.of(
                                        member.id(),
                                        encode(member),
                                        String.valueOf(ticket.maxMembers()),
                                        room,
                                        ROOM_COUNTS_CHANNEL,
                                        String.valueOf(System.currentTimeMillis()),
                                        ticket.passesLock() ? "1" : "0",
                                        creating.host(),
                                        creating.privateRoom() ? "1" : "0",
                                        creating.passwordHash().orElse(""),
                                        ticket.identity().orElse(""),
                                        creating.locked() ? "1" : "0")))
                .map(both -> {
                    Response joined = both.resultAt(1);
                    if (joined.size() > 4) roomList.write(room, joined.get(4));
                    return joined;
                }));
    }

    private String encode(MemberInfo member) {
        return member.toJson().put("node", nodeId).encode();
    }

    private Future<Response> eval(LuaScripts.Script script, List<String> keys, List<String> args) {
        return redis.eval(script, keys, args);
    }

    private Future<Response> command(Request request) {
        if (!redis.healthy()) return Future.failedFuture(new RelayUnavailableException("redis unavailable"));
        return redis.send(request)
                .recover(e -> Future.failedFuture(
                        e instanceof RelayUnavailableException ? e : new RelayUnavailableException(e.getMessage())));
    }
}
