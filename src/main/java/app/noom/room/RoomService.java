package app.noom.room;

import app.noom.protocol.MemberInfo;
import app.noom.protocol.ServerMessages;
import app.noom.protocol.SignalKind;
import app.noom.relay.ClusterRelay;
import app.noom.relay.Envelope;
import app.noom.relay.Envelope.Kind;
import app.noom.relay.Presence;
import app.noom.relay.Presence.JoinOutcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * The room rules shared by every session: admission, and what the other members are told when someone joins, leaves,
 * changes, chats or signals. Knows presence and relay only through their interfaces, never how they cross nodes.
 */
public final class RoomService {
  private final Presence presence;
  private final ClusterRelay relay;
  private final int maxMembersPerRoom;
  private final Clock clock;

  public RoomService(Presence presence, ClusterRelay relay, int maxMembersPerRoom, Clock clock) {
    this.presence = presence;
    this.relay = relay;
    this.maxMembersPerRoom = maxMembersPerRoom;
    this.clock = clock;
  }

  public Presence presence() {
    return presence;
  }

  /** Admits {@code member} and announces it. The caller must already listen to the room so it misses nothing. */
  public Future<JoinOutcome> join(String room, MemberInfo member) {
    return presence.join(room, member, maxMembersPerRoom).compose(outcome -> {
      if (!(outcome instanceof JoinOutcome.Admitted)) return Future.succeededFuture(outcome);
      return relay.localMemberAdded(room)
          .compose(v -> relay.toRoom(room, envelope(Kind.MEMBER_JOINED, room, member.id(),
              ServerMessages.memberJoined(room, member))))
          .map(outcome);
    });
  }

  public Future<Void> leave(String room, String memberId) {
    return presence.leave(room, memberId)
        .compose(v -> relay.toRoom(room, envelope(Kind.MEMBER_LEFT, room, memberId,
            ServerMessages.memberLeft(room, memberId))))
        .eventually(() -> relay.localMemberRemoved(room));
  }

  public Future<Void> update(String room, MemberInfo member) {
    return presence.update(room, member).compose(v -> relay.toRoom(room,
        envelope(Kind.MEMBER_UPDATED, room, member.id(), ServerMessages.memberUpdated(room, member))));
  }

  public Future<Void> chat(String room, MemberInfo from, String text) {
    return relay.toRoom(room, envelope(Kind.CHAT, room, from.id(),
        ServerMessages.chat(room, from, text, clock.millis())));
  }

  /** Relays a signal; {@code from} comes from the sending session, never from the client's message. */
  public Future<Void> signal(String room, String from, String to, SignalKind kind, JsonObject payload) {
    return relay.toMember(to, envelope(Kind.SIGNAL, room, from, ServerMessages.signal(room, from, kind, payload)));
  }

  private static Envelope envelope(Kind kind, String room, String memberId, JsonObject message) {
    return new Envelope(kind, room, memberId, message.encode());
  }
}
