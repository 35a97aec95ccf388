package app.noom.relay.local;

import app.noom.relay.Addresses;
import app.noom.relay.ClusterRelay;
import app.noom.relay.Envelope;
import app.noom.relay.LocalRoomCounter;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;

/** The embedded single-node relay: every session is local, so the event bus is the whole story. */
public final class EventBusRelay implements ClusterRelay {
  private final EventBus eventBus;
  private final LocalRoomCounter localRooms = new LocalRoomCounter();

  public EventBusRelay(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  @Override
  public Future<Void> toMember(String memberId, Envelope envelope) {
    eventBus.send(Addresses.member(memberId), envelope);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> toRoom(String room, Envelope envelope) {
    eventBus.publish(Addresses.room(room), envelope);
    return Future.succeededFuture();
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
