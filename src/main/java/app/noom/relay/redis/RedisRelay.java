package app.noom.relay.redis;

import app.noom.relay.Addresses;
import app.noom.relay.ClusterRelay;
import app.noom.relay.Envelope;
import app.noom.relay.LocalRoomCounter;
import app.noom.relay.RelayUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries envelopes between nodes over Redis pub/sub. Inside the node the event bus still does the fan-out: a room
 * message is published locally at once and sent to Redis for the other nodes, which publish it on their own bus.
 * Channels are subscribed only while needed: a room's while this node has members in it, a member's while its session
 * is hosted here. When Redis is down, what can be served locally still is; what must leave the node fails with
 * {@link RelayUnavailableException} instead of vanishing.
 */
public final class RedisRelay implements ClusterRelay {
  private final String nodeId;
  private final EventBus eventBus;
  private final RedisConnector redis;
  private final LocalRoomCounter localRooms = new LocalRoomCounter();
  private final Set<String> localMembers = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> clusterRoomCounts; // last known head-counts, fed by presence

  RedisRelay(String nodeId, EventBus eventBus, RedisConnector redis, Map<String, Integer> clusterRoomCounts) {
    this.nodeId = nodeId;
    this.eventBus = eventBus;
    this.redis = redis;
    this.clusterRoomCounts = clusterRoomCounts;
  }

  @Override
  public Future<Void> toMember(String memberId, Envelope envelope) {
    if (localMembers.contains(memberId)) {
      eventBus.send(Addresses.member(memberId), envelope);
      return Future.succeededFuture();
    }
    if (!redis.healthy()) return unavailable();
    return redis.publish(RedisKeys.memberChannel(memberId), envelope.encode());
  }

  @Override
  public Future<Void> toRoom(String room, Envelope envelope) {
    eventBus.publish(Addresses.room(room), envelope);
    if (!redis.healthy()) {
      return allMembersLocal(room) ? Future.succeededFuture() : unavailable();
    }
    return redis.publish(RedisKeys.roomChannel(room), nodeId + '|' + envelope.encode());
  }

  @Override
  public Future<Void> localMemberAdded(String room) {
    return localRooms.added(room) ? redis.subscribe(RedisKeys.roomChannel(room)) : Future.succeededFuture();
  }

  @Override
  public Future<Void> localMemberRemoved(String room) {
    return localRooms.removed(room) ? redis.unsubscribe(RedisKeys.roomChannel(room)) : Future.succeededFuture();
  }

  @Override
  public LocalRoomCounter localRooms() {
    return localRooms;
  }

  @Override
  public Future<Void> sessionHosted(String memberId) {
    localMembers.add(memberId);
    return redis.subscribe(RedisKeys.memberChannel(memberId));
  }

  @Override
  public Future<Void> sessionGone(String memberId) {
    localMembers.remove(memberId);
    return redis.unsubscribe(RedisKeys.memberChannel(memberId));
  }

  @Override
  public boolean healthy() {
    return redis.healthy();
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  /** A message from Redis: republish it on this node's bus unless this node sent it. */
  void onRedisMessage(String channel, String payload) {
    if (channel.startsWith("noom:ch:member:")) {
      Envelope envelope = Envelope.decode(payload);
      eventBus.send(Addresses.member(channel.substring("noom:ch:member:".length())), envelope);
    } else if (channel.startsWith("noom:ch:room:")) {
      int bar = payload.indexOf('|');
      if (payload.regionMatches(0, nodeId, 0, bar) && bar == nodeId.length()) return; // our own, already delivered
      Envelope envelope = Envelope.decode(payload.substring(bar + 1));
      eventBus.publish(Addresses.room(envelope.room()), envelope);
    }
  }

  private boolean allMembersLocal(String room) {
    return clusterRoomCounts.getOrDefault(room, 0) <= localRooms.membersIn(room);
  }

  private static Future<Void> unavailable() {
    return Future.failedFuture(new RelayUnavailableException("redis unavailable"));
  }
}
