package app.noom.session;

import app.noom.protocol.ClientMessage;
import app.noom.protocol.ErrorCode;
import app.noom.protocol.ProtocolException;
import app.noom.relay.RelayUnavailableException;
import app.noom.relay.SessionDirectory;
import app.noom.relay.UnknownResumeTokenException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One transport connection, bound to a session on its first frame: a fresh session, or, when that frame is a
 * {@code hello} presenting a known resume token, the detached session it belongs to (possibly on another event loop,
 * whose context then runs everything for it). Frames that arrive while a resume is being decided wait, in order.
 */
final class Connection implements ClientChannel.Listener {
    /** How long an address that presented many unknown resume tokens waits for each further lookup. */
    static final long THROTTLED_LOOKUP_DELAY_MS = 1_000;

    private final ClientChannel channel;
    private final SessionSupervisor supervisor;
    /** Created at once so that the hello deadline applies to a connection that never speaks. */
    private final SignalingSession fresh;

    private SignalingSession session; // null until the first frame decides
    private List<Runnable> waiting; // non-null while a resume is being decided

    Connection(ClientChannel channel, SessionSupervisor supervisor) {
        this.channel = channel;
        this.supervisor = supervisor;
        this.fresh = supervisor.newSession(channel);
    }

    @Override
    public void onText(String frame) {
        if (waiting != null) waiting.add(() -> onText(frame));
        else if (session != null) session.run(() -> session.onText(frame));
        else bind(frame);
    }

    @Override
    public void onBinary() {
        if (waiting != null) waiting.add(this::onBinary);
        else bindFresh().run(() -> session.onBinary());
    }

    @Override
    public void onClosed(boolean deliberate) {
        if (waiting != null) waiting.add(() -> onClosed(deliberate));
        else {
            SignalingSession target = session != null ? session : fresh;
            target.run(() -> target.onClosed(channel, deliberate));
        }
    }

    private SignalingSession bindFresh() {
        if (session == null) session = fresh;
        return session;
    }

    private void bind(String frame) {
        ResumeRegistry resumes = supervisor.services().resumes();
        Optional<ClientMessage.Hello> hello = resumingHello(frame);
        String digest = hello.map(
                        h -> ResumeRegistry.digest(h.resume().orElseThrow().token()))
                .orElse(null);
        Optional<SignalingSession> local = hello.isEmpty() ? Optional.empty() : resumes.local(digest);
        if (hello.isEmpty()) {
            bindFresh().onText(frame);
            return;
        }
        waiting = new ArrayList<>();
        // An address that presented many unknown tokens is slowed down, never refused: guessing 256-bit tokens is
        // hopeless
        // anyway, and a refusal would lock out the owners of valid tokens behind the same address (a NAT, a proxy).
        Future<Void> turn = local.isEmpty() && resumes.throttled(channel.remoteAddress())
                ? supervisor.vertx().timer(THROTTLED_LOOKUP_DELAY_MS).mapEmpty()
                : Future.succeededFuture();
        Future<Optional<SignalingSession>> resumed = local.isPresent()
                ? resumeLocally(local.get(), hello.get())
                : turn.compose(v -> resumeFromAnotherNode(digest, hello.get()));
        resumed.onComplete(result -> {
            Optional<SignalingSession> taken = result.succeeded() ? result.result() : Optional.empty();
            if (result.failed() && result.cause() instanceof RelayUnavailableException) {
                retryLater(hello.get(), frame); // the session may exist elsewhere: do not give it up for a fresh one
                return;
            }
            if (taken.isPresent()) {
                session = taken.get();
                fresh.onClosed(channel, true); // never said hello: ends without a trace
            } else {
                if (result.failed() && result.cause() instanceof UnknownResumeTokenException) {
                    resumes.failed(channel.remoteAddress()); // a guess, not a real token whose claim failed
                }
                bindFresh().onText(frame); // answered as a new session: resumed=false
            }
            List<Runnable> queued = waiting;
            waiting = null;
            queued.forEach(Runnable::run);
        });
    }

    /**
     * The cluster cannot be asked right now (Redis down): the hello is refused with {@code relay_unavailable}, the
     * connection stays unbound, and the client's next hello (its retry) is looked at afresh.
     */
    private void retryLater(ClientMessage.Hello hello, String frame) {
        List<Runnable> queued = waiting;
        waiting = null;
        fresh.run(() -> fresh.refuse(new ProtocolException(
                ErrorCode.RELAY_UNAVAILABLE,
                "the session cannot be looked up while the cluster relay is down; say hello (resume) again shortly",
                hello.id())));
        queued.forEach(Runnable::run);
    }

    /** The session is on this node, maybe on another event loop: resume it there, continue here. */
    private Future<Optional<SignalingSession>> resumeLocally(SignalingSession candidate, ClientMessage.Hello hello) {
        Promise<Optional<SignalingSession>> done = Promise.promise();
        Context here = Vertx.currentContext();
        candidate.run(() -> {
            boolean ok = candidate.resume(channel, hello);
            here.runOnContext(v -> done.complete(ok ? Optional.of(candidate) : Optional.empty()));
        });
        return done.future();
    }

    /**
     * The session is held by another node: listen for it here first (see {@link ArrivalBuffer}), then claim it, and
     * continue it on this event loop.
     */
    private Future<Optional<SignalingSession>> resumeFromAnotherNode(String digest, ClientMessage.Hello hello) {
        SessionServices services = supervisor.services();
        List<ArrivalBuffer> landing = new ArrayList<>(1);
        SessionDirectory.Landing prepare = (memberId, rooms) -> ArrivalBuffer.open(services, memberId, rooms)
                .map(buffer -> {
                    landing.add(buffer);
                    return (Void) null;
                });
        Future<Optional<SignalingSession>> resumed = services.resumes()
                .directory()
                .claim(digest, hello.resume().orElseThrow().lastSeq(), prepare)
                .compose(snapshot -> snapshot.isEmpty()
                        ? Future.succeededFuture(Optional.<SignalingSession>empty())
                        : SignalingSession.restore(
                                        channel,
                                        services,
                                        SessionSnapshot.fromJson(snapshot.get()),
                                        hello,
                                        landing.stream().findFirst())
                                .map(restored -> {
                                    supervisor.adopt(restored);
                                    return Optional.of(restored);
                                }));
        return resumed.onComplete(result -> {
            if (result.failed() || result.result().isEmpty()) landing.forEach(ArrivalBuffer::abandon);
        });
    }

    private Optional<ClientMessage.Hello> resumingHello(String frame) {
        if (!frame.contains("\"resume\"")) return Optional.empty(); // cheap pre-check before a second parse
        try {
            return supervisor.services().parser().parse(frame) instanceof ClientMessage.Hello h
                            && h.resume().isPresent()
                    ? Optional.of(h)
                    : Optional.empty();
        } catch (ProtocolException e) {
            return Optional.empty();
        }
    }
}
