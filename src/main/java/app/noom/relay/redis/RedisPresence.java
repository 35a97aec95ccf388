package app.noom.relay.redis;

import static app.noom.relay.redis.RedisKeys.*;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Presence every node can read: per-room member hashes, the room-count hash, and per-node member sets for the sweeper.
 * Admission and counts change inside Lua scripts, which also publish the new head-count, so every node sees count
 * changes in one order. A mirror of this node's own members lets it republish its presence after Redis comes back.
 */
public final class RedisPresence implements Presence {
  private final String nodeId;
  private final RedisConnector redis;
  private final List<Consumer<RoomCount>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> knownCounts = new ConcurrentHashMap<>();
  private final Map<String, Map<String, MemberInfo>> localMembers = new ConcurrentHashMap<>();
  /** Last policy seen per room with local members: republished if Redis comes back empty. */
  private final Map<String, RoomPolicy> knownPolicies = new ConcurrentHashMap<>();

  private final DirectChannels direct;

  RedisPresence(String nodeId, RedisConnector redis, DirectChannels direct) {
    this.direct = direct;
    this.nodeId = nodeId;
    this.redis = redis;
  }

  /** Last head-count seen per room, for the relay's "is everyone local?" check while Redis is down. */
  Map<String, Integer> knownCounts() {
    return knownCounts;
  }

  @Override
  public Future<JoinOutcome> join(JoinTicket ticket) {
    String room = ticket.room();
    MemberInfo member = ticket.member();
    // listening (confirmed) before admission: a signal sent to the member right after it cannot miss this node
    Future<JoinOutcome> outcome = direct.listen(room, member.id()).compose(v -> runJoin(ticket))
        .map(response -> switch (response.get(0).toInteger()) {
      case 0 -> new JoinOutcome.Full(response.get(1).toInteger());
      case 2 -> new JoinOutcome.Locked();
      case 3 -> new JoinOutcome.Banned(response.get(1).toLong());
      default -> {
        rememberLocally(room, member);
        RoomPolicy policy = policyFrom(response.get(3)).orElse(ticket.policyIfCreating());
        knownPolicies.put(room, policy);
        yield new JoinOutcome.Admitted(others(response.get(2), member.id()), response.get(1).toInteger(), policy);
      }
    });
    return outcome.andThen(result -> {
      if (!(result.result() instanceof JoinOutcome.Admitted)) direct.stop(room, member.id());
    });
  }

  @Override
  public Future<Optional<RoomPolicy>> policy(String room) {
    return command(Request.cmd(Command.HGETALL).arg(roomPolicy(room))).map(RedisPresence::policyFrom);
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
  public Future<KickOutcome> kick(String room, String requester, String target, long untilMillis,
      app.noom.relay.Envelope notice) {
    return redis.run(() -> eval(LuaScripts.KICK, List.of(roomMembers(room), ROOM_COUNTS, roomPolicy(room),
            roomBans(room), roomIdentities(room), orphans(room, target)),
        List.of(requester, target, String.valueOf(untilMillis), room, ROOM_COUNTS_CHANNEL, notice.encode(),
            directChannel(room, target), roomChannel(room), ClusterPayload.encode(nodeId, redis.nextSerial(), notice))))
        .map(response -> switch (response.toInteger()) {
          case 1 -> KickOutcome.KICKED_AND_ANNOUNCED;
          case 0 -> KickOutcome.NOT_HOST;
          default -> KickOutcome.UNKNOWN_MEMBER;
        });
  }

  private Future<Optional<RoomPolicy>> policyScript(String room, String operation, String value) {
    return eval(LuaScripts.POLICY, List.of(roomPolicy(room), roomMembers(room)),
        List.of(operation, value, room, ROOM_COUNTS_CHANNEL)).map(RedisPresence::policyFrom)
        .onSuccess(policy -> policy.ifPresent(p -> knownPolicies.computeIfPresent(room, (r, old) -> p)));
  }

  /**
   * A room's policy changed, maybe on another node ({@code room-updated} on the room's channel): what this node
   * republishes if Redis comes back empty is the room as it is now — still locked, with its current host.
   */
  void policyAnnounced(String room, JsonObject roomUpdated) {
    knownPolicies.computeIfPresent(room, (r, old) -> old.withHost(roomUpdated.getString("host", old.host()))
        .withLocked(roomUpdated.getBoolean("locked", old.locked())));
  }

  /** A policy hash as Redis returns it (map or flat list); empty when the room does not exist. */
  private static Optional<RoomPolicy> policyFrom(Response hash) {
    if (hash == null || hash.size() == 0) return Optional.empty();
    Map<String, String> fields = RedisReplies.hash(hash);
    if (!fields.containsKey("host")) return Optional.empty();
    String password = fields.getOrDefault("password", "");
    return Optional.of(new RoomPolicy(fields.get("host"), "1".equals(fields.get("locked")),
        "1".equals(fields.get("private")), password.isEmpty() ? Optional.empty() : Optional.of(password)));
  }

  @Override
  public Future<Boolean> leave(String room, String memberId) {
    forgetLocally(room, memberId);
    // not there any more: whatever removed it (a kick) announced it in the same script, before ours ran
    // -2: already removed — whatever removed it (a kick) announced it in the same script, before ours ran; -1: its
    // entry names another node (a session rebuilt here whose rehost has not landed): the leave is still announced
    // the channel is dropped on the connector's context as leave.lua's answer arrives: a rejoin's listen, which
    // follows the leave's answer, cannot be undone by it
    Future<Integer> removed = redis.run(() -> removeMember(nodeId, room, memberId)
        .andThen(done -> direct.stop(room, memberId)));
    return removed.compose(count -> count != -2 ? Future.succeededFuture(true)
        : redis.subscriberBarrier().map(false));
  }

  @Override
  public Future<Void> update(String room, MemberInfo member) {
    localMembers.computeIfPresent(room, (r, members) -> {
      members.computeIfPresent(member.id(), (id, old) -> member);
      return members;
    });
    return eval(LuaScripts.UPDATE, List.of(roomMembers(room)), List.of(member.id(), encode(member))).mapEmpty();
  }

  @Override
  public void movedAway(String room, String memberId) {
    forgetLocally(room, memberId);
    direct.stop(room, memberId);
  }

  @Override
  public Future<Boolean> rehost(String room, MemberInfo member) {
    return eval(LuaScripts.REHOST, List.of(roomMembers(room), nodeMembers(nodeId)),
        List.of(member.id(), encode(member), nodeEntry(room, member.id())))
        .compose(response -> {
          if (response.toInteger() == 1) {
            rememberLocally(room, member);
            return Future.succeededFuture(true);
          }
          // Whatever removed the member (a kick, a sweep) announced it in the same script, before this one ran: wait
          // until that notice is in, so the session hears "kicked", not a bare removal (I5).
          return redis.subscriberBarrier().map(false).andThen(done -> direct.stop(room, member.id()));
        });
  }

  @Override
  public Future<List<RoomCount>> rooms() {
    return eval(LuaScripts.ROOMS, List.of(ROOM_COUNTS), List.of()).map(flat -> {
      List<RoomCount> rooms = new ArrayList<>();
      for (int i = 0; i + 2 < flat.size(); i += 3) {
        rooms.add(new RoomCount(flat.get(i).toString(), flat.get(i + 1).toInteger(), flat.get(i + 2).toInteger() == 1));
      }
      return rooms;
    });
  }

  @Override
  public void onRoomCountChanged(Consumer<RoomCount> listener) {
    listeners.add(listener);
  }

  /** A head-count or lock change published by any node's script: {@code count|locked(1/0)|room}. */
  void onCountMessage(String payload) {
    int bar = payload.indexOf('|');
    RoomCount change = new RoomCount(payload.substring(bar + 3), Integer.parseInt(payload, 0, bar, 10),
        payload.charAt(bar + 1) == '1');
    if (change.count() == 0) knownCounts.remove(change.room());
    else knownCounts.put(change.room(), change.count());
    listeners.forEach(l -> l.accept(change));
  }

  /** Removes one member hosted by {@code hostNode} (this node, or a dead one being swept); -1 if it was not there. */
  Future<Integer> removeMember(String hostNode, String room, String memberId) {
    return eval(LuaScripts.LEAVE, List.of(roomMembers(room), ROOM_COUNTS, nodeMembers(hostNode), roomPolicy(room),
            roomIdentities(room)),
        List.of(memberId, room, nodeEntry(room, memberId), ROOM_COUNTS_CHANNEL, hostNode)).map(Response::toInteger);
  }

  /** After Redis returns (possibly empty, possibly swept): put back every member this node still hosts. */
  /**
   * After this node was swept: forgets every local member that is no longer in its room's presence, telling
   * {@code evicted} about each (its session is then told it is out); the others are republished as usual.
   */
  Future<Void> evictAbsent(java.util.function.BiConsumer<String, String> evicted) {
    List<Future<?>> checks = new ArrayList<>();
    localMembers.forEach((room, members) -> members.keySet().forEach(memberId -> checks.add(
        command(Request.cmd(Command.HEXISTS).arg(roomMembers(room)).arg(memberId)).onSuccess(present -> {
          if (present.toInteger() == 1) return;
          forgetLocally(room, memberId);
          evicted.accept(room, memberId);
        }))));
    return Future.all(checks).mapEmpty();
  }

  Future<Void> republish() {
    List<Future<?>> all = new ArrayList<>();
    localMembers.forEach((room, members) -> members.values().forEach(m -> all.add(runJoin(new JoinTicket(room, m,
        Integer.MAX_VALUE, knownPolicies.getOrDefault(room, RoomPolicy.createdBy(m.id(), false, Optional.empty())),
        true, Optional.empty())))));
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

  /** Whether this node still hosts {@code memberId} in {@code room} (the reconciler drops stale entries otherwise). */
  boolean hostsLocally(String room, String memberId) {
    Map<String, MemberInfo> members = localMembers.get(room);
    return members != null && members.containsKey(memberId);
  }

  private Future<Response> runJoin(JoinTicket ticket) {
    String room = ticket.room();
    MemberInfo member = ticket.member();
    RoomPolicy creating = ticket.policyIfCreating();
    return eval(LuaScripts.JOIN,
        List.of(roomMembers(room), ROOM_COUNTS, nodeMembers(nodeId), roomPolicy(room), roomBans(room),
            roomIdentities(room)),
        List.of(member.id(), encode(member), String.valueOf(ticket.maxMembers()), room, nodeEntry(room, member.id()),
            ROOM_COUNTS_CHANNEL, String.valueOf(System.currentTimeMillis()), ticket.passesLock() ? "1" : "0",
            creating.host(), creating.privateRoom() ? "1" : "0", creating.passwordHash().orElse(""),
            ticket.identity().orElse(""), creating.locked() ? "1" : "0"));
  }

  private String encode(MemberInfo member) {
    return member.toJson().put("node", nodeId).encode();
  }

  private static List<MemberInfo> others(Response flat, String selfId) {
    List<MemberInfo> others = new ArrayList<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      if (!flat.get(i).toString().equals(selfId)) {
        others.add(MemberInfo.fromJson(new JsonObject(flat.get(i + 1).toString())));
      }
    }
    return others;
  }

  private Future<Response> eval(LuaScripts.Script script, List<String> keys, List<String> args) {
    return redis.eval(script, keys, args);
  }

  private Future<Response> command(Request request) {
    if (!redis.healthy()) return Future.failedFuture(new RelayUnavailableException("redis unavailable"));
    return redis.send(request).recover(e -> Future.failedFuture(e instanceof RelayUnavailableException ? e
        : new RelayUnavailableException(e.getMessage())));
  }
}
