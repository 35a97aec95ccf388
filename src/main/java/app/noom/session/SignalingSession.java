package app.noom.session;

import static app.noom.protocol.ErrorCode.*;

import app.noom.protocol.ClientMessage;
import app.noom.protocol.ClientMessage.*;
import app.noom.protocol.ErrorCode;
import app.noom.protocol.MediaState;
import app.noom.protocol.MemberInfo;
import app.noom.protocol.ProtocolException;
import app.noom.protocol.ServerMessages;
import app.noom.relay.Addresses;
import app.noom.relay.Envelope;
import app.noom.relay.Presence.JoinOutcome;
import app.noom.relay.RelayUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection, whatever its transport: reads protocol messages, keeps the session's rooms, and answers every
 * message exactly once. Runs on one event loop; everything it receives from other sessions arrives as event-bus
 * envelopes on that same loop, so its state needs no locks.
 */
public final class SignalingSession {
  private static final Logger LOG = Logger.getLogger(SignalingSession.class.getName());

  private final SessionServices services;
  private final Outbox outbox;
  private final String id;
  private final io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
  private String resumeToken = SessionIds.newResumeToken();
  private final Map<String, RoomMembership> rooms = new LinkedHashMap<>();
  private final long openedAtNanos = System.nanoTime();
  private String nickname; // null until hello
  private MessageConsumer<Envelope> directInbox;
  private MessageConsumer<Envelope> roomListFeed;
  private long lastActivityNanos = openedAtNanos;
  private boolean closed; // ended for good: rooms left
  private long detachedAtNanos = -1; // >= 0 while the client is away and may resume

  public SignalingSession(ClientChannel channel, SessionServices services) {
    this(channel, services, SessionIds.newMemberId());
  }

  private SignalingSession(ClientChannel channel, SessionServices services, String id) {
    this.services = services;
    this.id = id;
    this.outbox = new Outbox(channel, services.metrics());
    services.metrics().sessionOpened();
  }

  /**
   * Another node asks for this session (its client came back there): stop serving it here without leaving any room,
   * and describe it, with the frames after {@code lastSeq}. Empty if those frames are no longer all kept; the session
   * then ends (its client will start afresh).
   */
  Optional<SessionSnapshot> handOver(long lastSeq) {
    if (closed) return Optional.empty();
    Optional<List<String>> missed = outbox.framesAfter(lastSeq);
    if (missed.isEmpty()) {
      end();
      return Optional.empty();
    }
    outbox.close(4003, "resumed elsewhere");
    outbox.detach();
    List<SessionSnapshot.RoomState> roomStates = rooms.values().stream().filter(RoomMembership::active)
        .map(m -> new SessionSnapshot.RoomState(m.room, m.media, m.memberIds())).toList();
    SessionSnapshot snapshot =
        new SessionSnapshot(id, nickname, outbox.lastSeq(), missed.get(), roomStates, roomListFeed != null, true);
    depart();
    return Optional.of(snapshot);
  }

  /** Stops serving here without telling anyone: the session lives on elsewhere. */
  private void depart() {
    closed = true;
    services.metrics().sessionClosed();
    services.resumes().forget(resumeToken);
    if (directInbox != null) directInbox.unregister();
    services.relay().sessionGone(id);
    if (roomListFeed != null) roomListFeed.unregister();
    rooms.values().forEach(m -> {
      m.unsubscribe();
      services.relay().localMemberRemoved(m.room);
    });
    rooms.clear();
  }

  /**
   * Continues, on this node and connection, a session handed over by another node: same member id and rooms, no
   * leave or join for anyone; replays the frames its client missed, then answers {@code welcome} (resumed).
   */
  static Future<SignalingSession> restore(ClientChannel channel, SessionServices services, SessionSnapshot snapshot,
      Hello hello) {
    SignalingSession session = new SignalingSession(channel, services, snapshot.memberId());
    session.nickname = snapshot.nickname();
    return session.rejoin(snapshot).map(v -> {
      session.outbox.continueFrom(snapshot.seq(), snapshot.missedFrames());
      session.services.resumes().register(session.resumeToken, session, session.nickname);
      session.services.metrics().resumed();
      session.outbox.send(ServerMessages.welcome(hello.id(), session.id, session.resumeToken, true,
          services.iceServersForSession().apply(session.id), services.limitsJson())
          .put("replayComplete", snapshot.complete()));
      return session;
    });
  }

  private Future<Void> rejoin(SessionSnapshot snapshot) {
    directInbox = services.eventBus().localConsumer(Addresses.member(id), this::onDirect);
    if (snapshot.roomListSubscribed()) {
      roomListFeed = services.eventBus().localConsumer(Addresses.ROOM_LIST, this::onDirect);
    }
    List<Future<?>> steps = new ArrayList<>();
    steps.add(directInbox.completion().compose(v -> services.relay().sessionHosted(id)));
    for (SessionSnapshot.RoomState state : snapshot.rooms()) {
      RoomMembership membership = new RoomMembership(state.room(), id, this::forward);
      membership.media = state.media();
      membership.activateWith(state.memberIds());
      rooms.put(state.room(), membership);
      MessageConsumer<Envelope> consumer =
          services.eventBus().localConsumer(Addresses.room(state.room()), m -> membership.onEnvelope(m.body()));
      membership.subscribedWith(consumer);
      steps.add(consumer.completion()
          .compose(v -> services.relay().localMemberAdded(state.room()))
          .compose(v -> services.rooms().presence().rehost(state.room(), self(membership))));
    }
    return Future.all(steps).mapEmpty();
  }

  public String id() {
    return id;
  }

  public void onText(String frame) {
    lastActivityNanos = System.nanoTime();
    ClientMessage message;
    try {
      message = services.parser().parse(frame);
    } catch (ProtocolException e) {
      sendError(e);
      return;
    }
    services.metrics().messageIn(message.type());
    Object re = message.id();
    handle(message).onComplete(reply -> {
      if (reply.failed()) sendError(asProtocolError(reply.cause(), re));
      else if (reply.result() != null) outbox.send(reply.result()); // null: already answered (bye)
    });
  }

  public void onBinary() {
    lastActivityNanos = System.nanoTime();
    sendError(new ProtocolException(BINARY_NOT_SUPPORTED, "frames must be JSON text"));
  }

  /** The connection {@code channel} ended; a connection this session was already taken from is ignored. */
  public void onClosed(ClientChannel channel, boolean deliberate) {
    if (closed || detachedAtNanos >= 0 || !outbox.isAttachedTo(channel)) return;
    if (nickname != null && services.resumeGraceNanos() > 0 && !deliberate) {
      detachedAtNanos = System.nanoTime(); // peers notice nothing; messages are buffered for a resume
      outbox.detach();
    } else {
      end();
    }
  }

  /** Runs {@code action} on this session's event loop, where all its state lives. */
  void run(Runnable action) {
    if (io.vertx.core.Vertx.currentContext() == context) action.run();
    else context.runOnContext(v -> action.run());
  }

  /**
   * A returning client presents this session's token: take the new connection, replay what it missed, answer with
   * {@code welcome} (resumed). Must run on this session's context. False if the session cannot be resumed faithfully;
   * it then ends (its member leaves), and the client starts afresh.
   */
  boolean resume(ClientChannel channel, Hello hello) {
    if (closed) return false;
    long lastSeq = hello.resume().orElseThrow().lastSeq();
    if (detachedAtNanos < 0) { // the old connection is still open (the server has not noticed the drop yet)
      outbox.close(4003, "resumed elsewhere");
      outbox.detach();
    }
    if (outbox.attach(channel, lastSeq).isEmpty()) {
      end();
      return false;
    }
    detachedAtNanos = -1;
    lastActivityNanos = System.nanoTime();
    services.resumes().forget(resumeToken);
    resumeToken = SessionIds.newResumeToken(); // a token is good for one resume
    services.resumes().register(resumeToken, this, nickname);
    services.metrics().resumed();
    outbox.send(ServerMessages.welcome(hello.id(), id, resumeToken, true, services.iceServersForSession().apply(id),
        services.limitsJson()).put("replayComplete", true));
    return true;
  }

  /**
   * Node drain: tell the client to reconnect (the load balancer sends it to another node, which claims this session),
   * and keep the session detached here until then. With {@code last}, the drain is over: whatever was not claimed ends.
   */
  void goAway(boolean last) {
    if (closed) return;
    if (last || nickname == null) {
      end();
      outbox.close(1012, "node draining");
      return;
    }
    if (detachedAtNanos >= 0) return;
    outbox.send(ServerMessages.goAway());
    outbox.close(1012, "node draining");
    outbox.detach();
    detachedAtNanos = System.nanoTime();
  }

  /** The session is over: leave every room (peers get member-left), stop receiving, forget the token. */
  private void end() {
    if (closed) return;
    closed = true;
    services.metrics().sessionClosed();
    services.resumes().forget(resumeToken);
    if (directInbox != null) {
      directInbox.unregister();
      services.relay().sessionGone(id);
    }
    if (roomListFeed != null) roomListFeed.unregister();
    rooms.values().forEach(this::leaveQuietly);
    rooms.clear();
  }

  /** Called by the supervisor's sweep on this session's event loop. */
  void checkDeadlines(long nowNanos, long helloTimeoutNanos, long idleTimeoutNanos) {
    if (detachedAtNanos >= 0) {
      if (nowNanos - detachedAtNanos > services.resumeGraceNanos() || outbox.overflowed()) end();
    } else if (nickname == null && nowNanos - openedAtNanos > helloTimeoutNanos) {
      outbox.close(4001, "hello timeout");
    } else if (nowNanos - lastActivityNanos > idleTimeoutNanos) {
      outbox.close(4002, "idle timeout");
    }
  }

  boolean isClosed() {
    return closed;
  }

  private Future<JsonObject> handle(ClientMessage message) {
    if (message instanceof Hello hello) return hello(hello);
    if (nickname == null) return fail(HELLO_REQUIRED, "send hello first");
    try {
      return switch (message.type()) {
        case "ping" -> Future.succeededFuture(ServerMessages.pong(message.id()));
        case "bye" -> bye((Bye) message);
        case "nickname" -> changeNickname((NicknameChange) message);
        case "rooms-subscribe" -> subscribeRoomList((RoomsSubscribe) message);
        case "rooms-unsubscribe" -> unsubscribeRoomList((RoomsUnsubscribe) message);
        case "join" -> join((Join) message);
        case "leave" -> leave((Leave) message);
        case "media" -> media((Media) message);
        case "signal" -> signal((Signal) message);
        case "chat" -> chat((Chat) message);
        default -> throw new IllegalStateException("parsed but unhandled type " + message.type());
      };
    } catch (ProtocolException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> hello(Hello hello) {
    if (nickname != null) return fail(ALREADY_HELLO, "hello was already accepted");
    nickname = hello.nickname();
    // A resume request is accepted on the wire but only honoured where resume is enabled: answer as a fresh session.
    directInbox = services.eventBus().localConsumer(Addresses.member(id), this::onDirect);
    services.resumes().register(resumeToken, this, nickname);
    return directInbox.completion().compose(v -> services.relay().sessionHosted(id)).map(v -> ServerMessages.welcome(hello.id(), id, resumeToken, false,
        services.iceServersForSession().apply(id), services.limitsJson()));
  }

  private Future<JsonObject> bye(Bye bye) {
    end();
    outbox.send(ServerMessages.ack(bye.id()));
    outbox.close(1000, "bye");
    return Future.succeededFuture(null);
  }

  private Future<JsonObject> changeNickname(NicknameChange change) {
    nickname = change.nickname();
    return Future.all(rooms.values().stream().filter(RoomMembership::active)
            .map(m -> services.rooms().update(m.room, self(m))).toList())
        .map(v -> ServerMessages.ack(change.id()));
  }

  private Future<JsonObject> subscribeRoomList(RoomsSubscribe subscribe) {
    if (roomListFeed == null) {
      roomListFeed = services.eventBus().localConsumer(Addresses.ROOM_LIST, this::onDirect);
    }
    return roomListFeed.completion().compose(v -> services.rooms().presence().rooms())
        .map(list -> ServerMessages.rooms(subscribe.id(), list));
  }

  private Future<JsonObject> unsubscribeRoomList(RoomsUnsubscribe unsubscribe) {
    if (roomListFeed != null) roomListFeed.unregister();
    roomListFeed = null;
    return Future.succeededFuture(ServerMessages.ack(unsubscribe.id()));
  }

  private Future<JsonObject> join(Join join) {
    String room = join.room();
    if (rooms.containsKey(room)) return fail(ALREADY_IN_ROOM, "already in room '" + room + "'");
    if (rooms.size() >= services.limits().maxRoomsPerSession()) {
      return fail(TOO_MANY_ROOMS, "a session may be in at most " + services.limits().maxRoomsPerSession() + " rooms");
    }
    RoomMembership membership = new RoomMembership(room, id, this::forward);
    rooms.put(room, membership);
    MessageConsumer<Envelope> consumer =
        services.eventBus().localConsumer(Addresses.room(room), m -> membership.onEnvelope(m.body()));
    membership.subscribedWith(consumer);
    return consumer.completion()
        .compose(v -> services.rooms().join(room, self(membership)))
        .compose(outcome -> admitted(join, membership, outcome))
        .onFailure(e -> {
          if (rooms.remove(room, membership)) membership.unsubscribe();
        });
  }

  private Future<JsonObject> admitted(Join join, RoomMembership membership, JoinOutcome outcome) {
    if (outcome instanceof JoinOutcome.Full full) {
      return fail(ROOM_FULL, "room '" + join.room() + "' has " + full.count() + " of "
          + services.limits().maxMembersPerRoom() + " members");
    }
    JoinOutcome.Admitted admitted = (JoinOutcome.Admitted) outcome;
    if (closed) { // the connection dropped while we waited: undo the admission
      services.rooms().leave(join.room(), id);
      return Future.failedFuture(new ProtocolException(INTERNAL, "session closed"));
    }
    membership.activate(admitted.others());
    return Future.succeededFuture(ServerMessages.joined(join.id(), join.room(), id, admitted.others()));
  }

  private Future<JsonObject> leave(Leave leave) {
    RoomMembership membership = activeMembership(leave.room());
    rooms.remove(leave.room());
    leaveQuietly(membership);
    return Future.succeededFuture(ServerMessages.ack(leave.id()));
  }

  private Future<JsonObject> media(Media media) {
    RoomMembership membership = activeMembership(media.room());
    membership.media = media.state();
    return services.rooms().update(media.room(), self(membership)).map(v -> ServerMessages.ack(media.id()));
  }

  private Future<JsonObject> signal(Signal signal) {
    RoomMembership membership = activeMembership(signal.room());
    if (!membership.hasMember(signal.to())) {
      return fail(UNKNOWN_MEMBER, "no member '" + abbreviate(signal.to()) + "' in room '" + signal.room() + "'");
    }
    return services.rooms().signal(signal.room(), id, signal.to(), signal.kind(), signal.payload())
        .map(v -> ServerMessages.ack(signal.id()));
  }

  private Future<JsonObject> chat(Chat chat) {
    RoomMembership membership = activeMembership(chat.room());
    return services.rooms().chat(chat.room(), self(membership), chat.text()).map(v -> ServerMessages.ack(chat.id()));
  }

  private RoomMembership activeMembership(String room) {
    RoomMembership membership = rooms.get(room);
    if (membership == null || !membership.active()) {
      throw new ProtocolException(NOT_IN_ROOM, "not in room '" + room + "'");
    }
    return membership;
  }

  /** Signals and room-list changes addressed to this session. */
  private void onDirect(Message<Envelope> message) {
    Envelope e = message.body();
    if (e.kind() == Envelope.Kind.SIGNAL) {
      RoomMembership membership = rooms.get(e.room());
      if (membership == null || !membership.active()) return; // we left that room after it was sent
    }
    forward(e);
  }

  private void forward(Envelope envelope) {
    outbox.sendEncoded(typeOf(envelope.kind()), envelope.json());
  }

  private void leaveQuietly(RoomMembership membership) {
    membership.unsubscribe();
    services.rooms().leave(membership.room, id)
        .onFailure(e -> LOG.log(Level.WARNING, "leave failed for a member of a room", e));
  }

  private MemberInfo self(RoomMembership membership) {
    return new MemberInfo(id, nickname, membership.media);
  }

  private void sendError(ProtocolException e) {
    services.metrics().error(e.code().wire());
    outbox.send(ServerMessages.error(e));
  }

  private static ProtocolException asProtocolError(Throwable cause, Object re) {
    if (cause instanceof ProtocolException p) return p.requestId() == null ? p.withRequestId(re) : p;
    if (cause instanceof RelayUnavailableException) {
      return new ProtocolException(RELAY_UNAVAILABLE, "the cluster relay is unavailable; try again", re);
    }
    LOG.log(Level.SEVERE, "unexpected failure handling a client message", cause);
    return new ProtocolException(INTERNAL, "internal error", re);
  }

  private static <T> Future<T> fail(ErrorCode code, String message) {
    return Future.failedFuture(new ProtocolException(code, message));
  }

  private static String typeOf(Envelope.Kind kind) {
    return switch (kind) {
      case MEMBER_JOINED -> "member-joined";
      case MEMBER_LEFT -> "member-left";
      case MEMBER_UPDATED -> "member-updated";
      case CHAT -> "chat";
      case SIGNAL -> "signal";
      case ROOM_CHANGED -> "room-changed";
    };
  }

  private static String abbreviate(String s) {
    return Objects.requireNonNullElse(s, "").length() <= 32 ? s : s.substring(0, 32) + "…";
  }
}
