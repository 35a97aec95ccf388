package app.noom.session;

import app.noom.protocol.MediaState;
import app.noom.protocol.MemberInfo;
import app.noom.relay.Envelope;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One session's membership of one room: the event-bus subscription, the member ids it may signal, and its media state.
 * The session subscribes before it is admitted, so that nothing published in between is lost; envelopes that arrive
 * meanwhile wait here and are replayed, minus what the admission snapshot already told the client.
 */
final class RoomMembership {
  final String room;
  private final String selfId;
  private final Consumer<Envelope> forward;
  private final Set<String> members = new HashSet<>();
  private List<Envelope> pending = new ArrayList<>();
  private MessageConsumer<Envelope> subscription;
  MediaState media = MediaState.INITIAL;

  RoomMembership(String room, String selfId, Consumer<Envelope> forward) {
    this.room = room;
    this.selfId = selfId;
    this.forward = forward;
  }

  void subscribedWith(MessageConsumer<Envelope> consumer) {
    this.subscription = consumer;
  }

  /** Completes once the room subscription is registered. */
  io.vertx.core.Future<Void> subscription() {
    return subscription.completion();
  }

  boolean active() {
    return pending == null;
  }

  boolean hasMember(String memberId) {
    return active() && members.contains(memberId);
  }

  /** Admission granted: the snapshot of who was there, then whatever arrived while waiting. */
  void activate(List<MemberInfo> others) {
    activateWith(others.stream().map(MemberInfo::id).toList());
  }

  /** Activation from a known member list (a session arriving from another node). */
  void activateWith(List<String> memberIds) {
    members.addAll(memberIds);
    List<Envelope> waiting = pending;
    pending = null;
    waiting.forEach(this::deliver);
  }

  List<String> memberIds() {
    return List.copyOf(members);
  }

  void onEnvelope(Envelope envelope) {
    if (pending != null) pending.add(envelope);
    else deliver(envelope);
  }

  void unsubscribe() {
    if (subscription != null) subscription.unregister();
  }

  private void deliver(Envelope e) {
    boolean aboutSelf = selfId.equals(e.memberId());
    boolean relevant = switch (e.kind()) {
      case MEMBER_JOINED -> !aboutSelf && members.add(e.memberId());
      case MEMBER_LEFT -> !aboutSelf && members.remove(e.memberId());
      case MEMBER_UPDATED -> !aboutSelf && members.contains(e.memberId());
      case CHAT, ROOM_UPDATED -> true;
      case SIGNAL, ROOM_CHANGED, KICKED -> false; // never published to a room
    };
    if (relevant) forward.accept(e);
  }
}
