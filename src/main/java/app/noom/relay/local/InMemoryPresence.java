package app.noom.relay.local;

import app.noom.protocol.MemberInfo;
import app.noom.protocol.RoomCount;
import app.noom.relay.Presence;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Presence for the embedded single node. Sessions live on several event loops, so access is serialised by one lock;
 * every operation is a few map updates, far below the cost of an event-bus hop. Count listeners run inside the lock
 * so that they observe changes in the order they happened.
 */
public final class InMemoryPresence implements Presence {
  private final Map<String, LinkedHashMap<String, MemberInfo>> rooms = new HashMap<>();
  private final List<Consumer<RoomCount>> listeners = new CopyOnWriteArrayList<>();

  @Override
  public synchronized Future<JoinOutcome> join(String room, MemberInfo member, int maxMembers) {
    LinkedHashMap<String, MemberInfo> members = rooms.computeIfAbsent(room, r -> new LinkedHashMap<>());
    if (members.size() >= maxMembers && !members.containsKey(member.id())) {
      return Future.succeededFuture(new JoinOutcome.Full(members.size()));
    }
    List<MemberInfo> others = new ArrayList<>(members.values());
    others.removeIf(m -> m.id().equals(member.id()));
    members.put(member.id(), member);
    announce(room, members.size());
    return Future.succeededFuture(new JoinOutcome.Admitted(others, members.size()));
  }

  @Override
  public synchronized Future<Void> leave(String room, String memberId) {
    LinkedHashMap<String, MemberInfo> members = rooms.get(room);
    if (members != null && members.remove(memberId) != null) {
      if (members.isEmpty()) rooms.remove(room);
      announce(room, members.size());
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> update(String room, MemberInfo member) {
    LinkedHashMap<String, MemberInfo> members = rooms.get(room);
    if (members != null) members.computeIfPresent(member.id(), (id, old) -> member);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> rehost(String room, MemberInfo member) {
    LinkedHashMap<String, MemberInfo> members = rooms.get(room);
    return Future.succeededFuture(members != null && members.containsKey(member.id()));
  }

  @Override
  public synchronized Future<List<RoomCount>> rooms() {
    List<RoomCount> list = new ArrayList<>(rooms.size());
    rooms.forEach((room, members) -> list.add(new RoomCount(room, members.size())));
    return Future.succeededFuture(list);
  }

  @Override
  public void onRoomCountChanged(Consumer<RoomCount> listener) {
    listeners.add(listener);
  }

  private void announce(String room, int count) {
    RoomCount change = new RoomCount(room, count);
    listeners.forEach(l -> l.accept(change));
  }
}
