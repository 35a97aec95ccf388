package app.noom.relay.redis;

import static app.noom.relay.redis.RedisKeys.*;

import app.noom.protocol.MemberInfo;
import app.noom.protocol.RoomCount;
import app.noom.relay.Presence;
import app.noom.relay.RelayUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  RedisPresence(String nodeId, RedisConnector redis) {
    this.nodeId = nodeId;
    this.redis = redis;
  }

  /** Last head-count seen per room, for the relay's "is everyone local?" check while Redis is down. */
  Map<String, Integer> knownCounts() {
    return knownCounts;
  }

  @Override
  public Future<JoinOutcome> join(String room, MemberInfo member, int maxMembers) {
    return runJoin(room, member, maxMembers).map(response -> {
      if (response.get(0).toInteger() == 0) return new JoinOutcome.Full(response.get(1).toInteger());
      localMembers.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).put(member.id(), member);
      return new JoinOutcome.Admitted(others(response.get(2), member.id()), response.get(1).toInteger());
    });
  }

  @Override
  public Future<Void> leave(String room, String memberId) {
    Map<String, MemberInfo> members = localMembers.get(room);
    if (members != null) {
      members.remove(memberId);
      if (members.isEmpty()) localMembers.remove(room, members);
    }
    return removeMember(nodeId, room, memberId).mapEmpty();
  }

  @Override
  public Future<Void> update(String room, MemberInfo member) {
    Map<String, MemberInfo> members = localMembers.get(room);
    if (members != null) members.computeIfPresent(member.id(), (id, old) -> member);
    return eval(LuaScripts.UPDATE, List.of(roomMembers(room)), List.of(member.id(), encode(member))).mapEmpty();
  }

  @Override
  public Future<Boolean> rehost(String room, MemberInfo member) {
    return eval(LuaScripts.REHOST, List.of(roomMembers(room), nodeMembers(nodeId)),
        List.of(member.id(), encode(member), nodeEntry(room, member.id())))
        .map(response -> {
          boolean moved = response.toInteger() == 1;
          if (moved) localMembers.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).put(member.id(), member);
          return moved;
        });
  }

  @Override
  public Future<List<RoomCount>> rooms() {
    return command(Request.cmd(Command.HGETALL).arg(ROOM_COUNTS)).map(response -> {
      List<RoomCount> rooms = new ArrayList<>();
      for (String room : response.getKeys()) rooms.add(new RoomCount(room, response.get(room).toInteger()));
      return rooms;
    });
  }

  @Override
  public void onRoomCountChanged(Consumer<RoomCount> listener) {
    listeners.add(listener);
  }

  /** A head-count change published by any node's script: {@code count|room}. */
  void onCountMessage(String payload) {
    int bar = payload.indexOf('|');
    RoomCount change = new RoomCount(payload.substring(bar + 1), Integer.parseInt(payload, 0, bar, 10));
    if (change.count() == 0) knownCounts.remove(change.room());
    else knownCounts.put(change.room(), change.count());
    listeners.forEach(l -> l.accept(change));
  }

  /** Removes one member hosted by {@code hostNode} (this node, or a dead one being swept); -1 if it was not there. */
  Future<Integer> removeMember(String hostNode, String room, String memberId) {
    return eval(LuaScripts.LEAVE, List.of(roomMembers(room), ROOM_COUNTS, nodeMembers(hostNode)),
        List.of(memberId, room, nodeEntry(room, memberId), ROOM_COUNTS_CHANNEL, hostNode)).map(Response::toInteger);
  }

  /** After Redis returns (possibly empty, possibly swept): put back every member this node still hosts. */
  Future<Void> republish() {
    List<Future<?>> all = new ArrayList<>();
    localMembers.forEach((room, members) -> members.values()
        .forEach(m -> all.add(runJoin(room, m, Integer.MAX_VALUE))));
    return Future.all(all).mapEmpty();
  }

  /** Whether this node still hosts {@code memberId} in {@code room} (the reconciler drops stale entries otherwise). */
  boolean hostsLocally(String room, String memberId) {
    Map<String, MemberInfo> members = localMembers.get(room);
    return members != null && members.containsKey(memberId);
  }

  private Future<Response> runJoin(String room, MemberInfo member, int maxMembers) {
    return eval(LuaScripts.JOIN, List.of(roomMembers(room), ROOM_COUNTS, nodeMembers(nodeId)),
        List.of(member.id(), encode(member), String.valueOf(maxMembers), room, nodeEntry(room, member.id()),
            ROOM_COUNTS_CHANNEL));
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

  private Future<Response> eval(String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(Command.EVAL).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return command(request);
  }

  private Future<Response> command(Request request) {
    if (!redis.healthy()) return Future.failedFuture(new RelayUnavailableException("redis unavailable"));
    return redis.send(request).recover(e -> Future.failedFuture(new RelayUnavailableException(e.getMessage())));
  }
}
