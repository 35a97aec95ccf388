package app.noom.session;

import static app.noom.protocol.ErrorCode.*;

import app.noom.fanout.Envelope;
import app.noom.fanout.NodeInboxes;
import app.noom.logging.LogFields;
import app.noom.protocol.ClientMessage;
import app.noom.protocol.ClientMessage.*;
import app.noom.protocol.ErrorCode;
import app.noom.protocol.MessageType;
import app.noom.protocol.ProtocolException;
import app.noom.protocol.ServerMessages;
import app.noom.relay.RelayUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session, whatever its transport: reads protocol messages and answers every one exactly once; its rooms are
 * in {@link SessionRooms}. It outlives a dropped connection (detached, for a resume) and can move to another node.
 * Runs on one event loop; what other sessions send it arrives as envelopes on that loop ({@code NodeInboxes}): no locks.
 */
public final class SignalingSession {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingSession.class);

    private final SessionServices services;
    private final Outbox outbox;
    private final String id;
    private final SessionRooms rooms;
    private final RateLimits rateLimits;
    private final RequestOrder requests;
    private DeliveryWatermarks watermarks = new DeliveryWatermarks();
    private final Context context = Vertx.currentContext();
    private final long openedAtNanos = System.nanoTime();
    private String resumeToken = SessionIds.newResumeToken();
    private String presentedToken; // the token of the last resume, until the client has surely seen its successor
    private String nickname; // null until hello
    private boolean helloPending; // a token is being verified
    private NodeInboxes.Listening directInbox;
    private NodeInboxes.Listening roomListFeed;
    private long lastActivityNanos = openedAtNanos;
    private long forwarded;
    private static final long LATENCY_SAMPLE_MASK = 7; // every 8th delivery
    private boolean closed; // over here: ended (rooms left) or moved to another node
    private long detachedAtNanos = -1; // >= 0 while the client is away and may resume

    public SignalingSession(ClientChannel channel, SessionServices services) {
        this(channel, services, SessionIds.newMemberId());
    }

    private SignalingSession(ClientChannel channel, SessionServices services, String id) {
        this.services = services;
        this.id = id;
        this.outbox = new Outbox(channel, services.metrics());
        this.rateLimits = new RateLimits(services.limits().abuse());
        this.requests = new RequestOrder(outbox::send, () -> outbox.close(4008, "too many requests waiting"));
        this.rooms = new SessionRooms(
                id, services, this::forward, e -> watermarks.saw(e), () -> nickname, channel.remoteAddress());
        services.metrics().sessionOpened();
    }

    public String id() {
        return id;
    }

    /** What this session's join token allows (recorded with its resume token, for a resume on another node). */
    app.noom.auth.Grants grants() {
        return rooms.grants();
    }

    boolean isClosed() {
        return closed;
    }

    /** Runs {@code action} on this session's event loop, where all its state lives. */
    void run(Runnable action) {
        if (Vertx.currentContext() == context) action.run();
        else context.runOnContext(v -> action.run());
    }

    /**
     * Queues {@code action} on this session's event loop behind everything already queued for it — the envelopes this
     * node has handed it included (see {@link NodeInboxes}), which {@link #run} would overtake if called from here.
     */
    void runAfterDeliveries(Runnable action) {
        context.runOnContext(v -> action.run());
    }

    // ---- messages from the client ----

    public void onText(String frame) {
        lastActivityNanos = System.nanoTime();
        forgetPresentedToken(); // the client speaks on: it got the welcome and its new token
        requests.offer(() -> process(frame));
    }

    private void forgetPresentedToken() {
        if (presentedToken == null) return;
        services.resumes().forget(presentedToken);
        presentedToken = null;
    }

    /** Handles one frame (in request order; see {@link RequestOrder}); every frame gets exactly one answer. */
    private RequestOrder.Step process(String frame) {
        ClientMessage message;
        try {
            message = services.parser().parse(frame);
        } catch (ProtocolException e) {
            return RequestOrder.Step.of(errorFrame(e));
        }
        services.metrics().messageIn(message.type().wire());
        Optional<ProtocolException> limited = rateLimits.take(message.type(), message.id());
        if (limited.isPresent()) return RequestOrder.Step.of(errorFrame(limited.get())); // answered, not processed
        Object re = message.id();
        boolean freshHello = message instanceof Hello && nickname == null; // (a welcome sets the nickname at once)
        Future<JsonObject> reply =
                handle(message).recover(e -> Future.succeededFuture(errorFrame(asProtocolError(e, re))));
        Runnable afterReply = null;
        if (message instanceof Bye) afterReply = () -> outbox.close(1000, "bye");
        else if (message instanceof Join join) afterReply = () -> rooms.answerWritten(join.room());
        else if (freshHello) afterReply = this::afterFreshHello;
        return new RequestOrder.Step(reply, message.type().isBarrier(), afterReply);
    }

    /** The answer to a fresh session's hello was sent: a welcome (its token) is never replayed, see {@link Outbox#forgetSent}. */
    private void afterFreshHello() {
        if (nickname != null) outbox.forgetSent();
    }

    /** Answers a frame the connection refused before it reached this session (a resume that must wait). */
    void refuse(ProtocolException e) {
        requests.offer(() -> RequestOrder.Step.of(errorFrame(e)));
    }

    public void onBinary() {
        lastActivityNanos = System.nanoTime();
        requests.offer(() -> RequestOrder.Step.of(
                errorFrame(new ProtocolException(BINARY_NOT_SUPPORTED, "frames must be JSON text"))));
    }

    private Future<JsonObject> handle(ClientMessage message) {
        if (nickname == null && message.type() != MessageType.HELLO) return fail(HELLO_REQUIRED, "send hello first");
        try {
            return switch (message.type()) {
                case HELLO -> hello((Hello) message);
                case PING -> Future.succeededFuture(ServerMessages.pong(message.id()));
                case BYE -> bye((Bye) message);
                case NICKNAME -> changeNickname((NicknameChange) message);
                case ROOMS_SUBSCRIBE -> subscribeRoomList((RoomsSubscribe) message);
                case ROOMS_UNSUBSCRIBE -> unsubscribeRoomList((RoomsUnsubscribe) message);
                case JOIN -> rooms.join((Join) message);
                case LEAVE -> rooms.leave((Leave) message);
                case MEDIA -> rooms.media((Media) message);
                case SIGNAL -> rooms.signal((Signal) message);
                case CHAT -> rooms.chat((Chat) message);
                case LOCK -> rooms.lock((Lock) message);
                case KICK -> rooms.kick((Kick) message);
                case HOST -> rooms.handOverHost((HandOverHost) message);
            };
        } catch (ProtocolException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<JsonObject> hello(Hello hello) {
        if (nickname != null || helloPending) return fail(ALREADY_HELLO, "hello was already accepted");
        if (services.tokens().isEmpty()) return welcome(hello);
        if (hello.token().isEmpty()) return fail(AUTH_REQUIRED, "this server needs a join token in hello");
        helloPending = true;
        return services.tokens()
                .get()
                .verify(hello.token().get())
                .recover(e -> fail(BAD_TOKEN, "join token refused: " + e.getMessage()))
                .compose(grants -> {
                    rooms.grant(grants);
                    return welcome(hello);
                })
                .eventually(() -> {
                    helloPending = false;
                    return Future.succeededFuture();
                });
    }

    private Future<JsonObject> welcome(Hello hello) {
        nickname = hello.nickname();
        // a resume that reached this fresh session could not be honoured: it is answered as a new session
        Future<Void> findable = services.resumes().register(resumeToken, this, nickname);
        return Future.all(findable, openDirectInbox())
                .map(v -> ServerMessages.welcome(
                        hello.id(),
                        id,
                        resumeToken,
                        false,
                        services.iceServersForSession().apply(id),
                        services.limitsJson()));
    }

    private Future<JsonObject> bye(Bye bye) {
        end();
        return Future.succeededFuture(ServerMessages.ack(bye.id())); // then the connection closes (see process)
    }

    private Future<JsonObject> changeNickname(NicknameChange change) {
        nickname = change.nickname();
        return rooms.renamed().map(v -> ServerMessages.ack(change.id()));
    }

    private Future<JsonObject> subscribeRoomList(RoomsSubscribe subscribe) {
        return openRoomListFeed()
                .compose(v -> services.rooms().roomList())
                .map(list -> ServerMessages.rooms(subscribe.id(), list));
    }

    private Future<JsonObject> unsubscribeRoomList(RoomsUnsubscribe unsubscribe) {
        if (roomListFeed != null) roomListFeed.cancel();
        roomListFeed = null;
        return Future.succeededFuture(ServerMessages.ack(unsubscribe.id()));
    }

    // ---- what other sessions send us ----

    /** A session moving here already listens through {@code landing}: it takes that subscription over. */
    private Future<Void> adoptDirectInbox(ArrivalBuffer landing) {
        directInbox = landing.adoptDirect(this::onDirect);
        return Future.succeededFuture();
    }

    private Future<Void> openDirectInbox() {
        directInbox = services.mailboxes().inbox(id, this::onDirect);
        return services.mailboxes().hosted(id);
    }

    private Future<Void> openRoomListFeed() {
        if (roomListFeed == null) roomListFeed = services.mailboxes().roomListFeed(this::onDirect);
        return Future.succeededFuture();
    }

    /** Signals and room-list changes addressed to this session. */
    private void onDirect(Envelope e) {
        watermarks.saw(e);
        if (e.kind() == Envelope.Kind.SIGNAL && !rooms.accepts(e)) return; // we (or its sender) left that room since
        forward(e);
    }

    private void forward(Envelope envelope) {
        outbox.sendEncoded(envelope.kind().messageType(), envelope.json());
        if ((forwarded++ & LATENCY_SAMPLE_MASK) == 0) { // a sample keeps the histogram cheap on the hot path
            services.metrics().relayLatency("local", System.nanoTime() - envelope.sentAtNanos());
        }
    }

    // ---- lifecycle: drop, resume, drain, move, end ----

    /** The connection {@code channel} ended; a connection this session was already taken from is ignored. */
    public void onClosed(ClientChannel channel, boolean deliberate) {
        if (closed || detachedAtNanos >= 0 || !outbox.isAttachedTo(channel)) return;
        if (nickname != null && services.resumeGraceNanos() > 0 && !deliberate) detach();
        else end();
    }

    /** Peers notice nothing; messages are buffered for a resume. */
    private void detach() {
        detachedAtNanos = System.nanoTime();
        outbox.detach();
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

    /**
     * A returning client presents this session's token: take the new connection, replay what it missed, answer with
     * {@code welcome} (resumed). Must run on this session's context. False if the session cannot be resumed faithfully;
     * it then ends (its member leaves), and the client starts afresh.
     */
    boolean resume(ClientChannel channel, Hello hello) {
        if (closed) return false;
        if (detachedAtNanos < 0) { // the old connection is still open (the server has not noticed the drop yet)
            outbox.close(4003, "resumed elsewhere");
            outbox.detach();
        }
        if (outbox.attach(channel, hello.resume().orElseThrow().lastSeq()).isEmpty()) {
            end();
            return false;
        }
        detachedAtNanos = -1;
        lastActivityNanos = System.nanoTime();
        welcomeBack(hello, true);
        return true;
    }

    private void welcomeBack(Hello hello, boolean replayComplete) {
        services.resumes().forget(resumeToken);
        forgetPresentedToken();
        resumeToken = SessionIds.newResumeToken(); // a token is good for one resume
        Future<Void> findable = services.resumes().register(resumeToken, this, nickname);
        // ...but the welcome carrying its successor may be lost with the connection: the token just presented keeps
        // opening this session until the client shows, by its first frame, that it has the new one
        presentedToken = hello.resume().orElseThrow().token();
        services.resumes().register(presentedToken, this, nickname);
        services.metrics().resumed();
        // the new token is handed out once any node can find it (a client may resume elsewhere the moment it has it);
        // in request order, so nothing the client sends after this hello is answered before the welcome
        JsonObject welcome = ServerMessages.welcome(
                        hello.id(),
                        id,
                        resumeToken,
                        true,
                        services.iceServersForSession().apply(id),
                        services.limitsJson())
                .put("replayComplete", replayComplete);
        requests.offer(() -> new RequestOrder.Step(findable.map(v -> welcome), true, null));
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
        } else if (detachedAtNanos < 0) {
            outbox.send(ServerMessages.goAway());
            outbox.close(1012, "node draining");
            detach();
        }
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
        boolean watchingRoomList = roomListFeed != null;
        closeHere();
        return Optional.of(new SessionSnapshot(
                id,
                nickname,
                outbox.lastSeq(),
                missed.get(),
                rooms.departAll(),
                watchingRoomList,
                true,
                rooms.grants(),
                watermarks.toJson()));
    }

    /**
     * Continues, on this node and connection, a session handed over by another node (or rebuilt after its node died):
     * same member id and rooms, no leave or join for anyone; replays the frames its client missed, then {@code welcome}.
     */
    static Future<SignalingSession> restore(
            ClientChannel channel,
            SessionServices services,
            SessionSnapshot snapshot,
            Hello hello,
            Optional<ArrivalBuffer> landing) {
        SignalingSession session = new SignalingSession(channel, services, snapshot.memberId());
        session.nickname = snapshot.nickname();
        session.rooms.grant(snapshot.grants()); // access is cluster state: a room-limited token stays limited here
        DeliveryWatermarks delivered = DeliveryWatermarks.fromJson(snapshot.delivered());
        session.watermarks = DeliveryWatermarks.fromJson(snapshot.delivered());
        // the numbering and the replay come first: anything that arrives while the subscriptions open is numbered after
        // it
        session.outbox.continueFrom(snapshot.seq(), snapshot.missedFrames());
        Future<Void> roomList = snapshot.roomListSubscribed() ? session.openRoomListFeed() : Future.succeededFuture();
        Future<Void> inbox = landing.isPresent() ? session.adoptDirectInbox(landing.get()) : session.openDirectInbox();
        return Future.all(inbox, roomList, session.rooms.arrive(snapshot.rooms(), landing))
                .map(v -> {
                    session.welcomeBack(hello, snapshot.complete());
                    landing.ifPresent(l -> l.release(delivered));
                    session.rooms.answerWrittenForAll();
                    return session;
                });
    }

    /** The session is over: leave every room (peers get member-left), stop receiving, forget the token. */
    private void end() {
        if (closed) return;
        closeHere();
        rooms.leaveAll();
    }

    /** Stops everything this node does for the session; what happens to its rooms is the caller's business. */
    private void closeHere() {
        closed = true;
        services.metrics().sessionClosed();
        services.resumes().forget(resumeToken);
        forgetPresentedToken();
        if (directInbox != null) {
            directInbox.cancel();
            services.mailboxes().gone(id);
        }
        if (roomListFeed != null) roomListFeed.cancel();
    }

    // ---- errors ----

    private JsonObject errorFrame(ProtocolException e) {
        services.metrics().error(e.code().wire());
        return ServerMessages.error(e);
    }

    private ProtocolException asProtocolError(Throwable cause, Object re) {
        if (cause instanceof ProtocolException p) return p.requestId() == null ? p.withRequestId(re) : p;
        if (cause instanceof RelayUnavailableException relay) {
            return relay.maybeDelivered()
                    ? new ProtocolException(
                            RELAY_INTERRUPTED,
                            "the cluster relay failed while relaying; it may have been delivered",
                            re)
                    : new ProtocolException(
                            RELAY_UNAVAILABLE, "the cluster relay is unavailable; nothing was delivered", re);
        }
        LOG.atError()
                .addKeyValue(LogFields.SESSION, id)
                .setCause(cause)
                .log("unexpected failure handling a client message");
        return new ProtocolException(INTERNAL, "internal error", re);
    }

    private static <T> Future<T> fail(ErrorCode code, String message) {
        return Future.failedFuture(new ProtocolException(code, message));
    }
}
