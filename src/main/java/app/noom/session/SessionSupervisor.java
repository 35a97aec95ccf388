package app.noom.session;

import app.noom.fanout.Addresses;
import app.noom.logging.LogFields;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the sessions of one event loop: creates them for new channels and enforces the hello deadline, the idle
 * timeout and the resume grace period with one periodic sweep per loop, instead of a timer per session.
 */
public final class SessionSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(SessionSupervisor.class);
    private final SessionServices services;
    private final Set<SignalingSession> sessions = new HashSet<>();
    private final long helloTimeoutNanos;
    private final long idleTimeoutNanos;
    private final Vertx vertx;
    private long timerId = -1;

    public SessionSupervisor(Vertx vertx, SessionServices services) {
        this.vertx = vertx;
        this.services = services;
        this.helloTimeoutNanos = TimeUnit.SECONDS.toNanos(services.limits().helloTimeoutSeconds());
        this.idleTimeoutNanos = TimeUnit.SECONDS.toNanos(services.limits().idleTimeoutSeconds());
    }

    Vertx vertx() {
        return vertx;
    }

    /** Must be called on the event loop that will own the sessions. */
    public void start() {
        timerId = vertx.setPeriodic(250, id -> sweep());
        vertx.eventBus().<Boolean>localConsumer(Addresses.DRAIN, message -> drain(message.body()));
    }

    /** The node is going away: clients are told to reconnect elsewhere; at the {@code last} call the rest ends here. */
    private void drain(boolean last) {
        for (SignalingSession session : sessions.toArray(SignalingSession[]::new)) session.goAway(last);
        removeClosed();
    }

    public void stop() {
        if (timerId >= 0) vertx.cancelTimer(timerId);
    }

    /** The listener a transport adapter feeds: a new session, or a detached one if the first frame resumes it. */
    public ClientChannel.Listener open(ClientChannel channel) {
        return new Connection(channel, this);
    }

    SignalingSession newSession(ClientChannel channel) {
        SignalingSession session = new SignalingSession(channel, services);
        sessions.add(session);
        LOG.atDebug().addKeyValue(LogFields.SESSION, session.id()).log("session opened");
        return session;
    }

    /** A session that arrived from another node, now owned by this loop. */
    void adopt(SignalingSession session) {
        sessions.add(session);
        LOG.atDebug().addKeyValue(LogFields.SESSION, session.id()).log("session resumed here from another node");
    }

    SessionServices services() {
        return services;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (SignalingSession session : sessions.toArray(SignalingSession[]::new)) {
            session.checkDeadlines(now, helloTimeoutNanos, idleTimeoutNanos);
        }
        removeClosed();
    }

    private void removeClosed() {
        sessions.removeIf(session -> {
            if (!session.isClosed()) return false;
            LOG.atDebug().addKeyValue(LogFields.SESSION, session.id()).log("session ended here");
            return true;
        });
    }
}
