package app.noom.session;

import app.noom.protocol.ClientMessage;
import app.noom.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One transport connection, bound to a session on its first frame: a fresh session, or, when that frame is a
 * {@code hello} presenting a known resume token, the detached session it belongs to (possibly on another event loop,
 * whose context then runs everything for it). Frames that arrive while a resume is being decided wait, in order.
 */
final class Connection implements ClientChannel.Listener {
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
    Optional<ClientMessage.Hello> hello = resumingHello(frame);
    Optional<SignalingSession> detached = hello.flatMap(h ->
        supervisor.services().resumes().lookup(h.resume().orElseThrow().token(), channel.remoteAddress()));
    if (detached.isEmpty()) {
      bindFresh().onText(frame);
      return;
    }
    waiting = new ArrayList<>();
    io.vertx.core.Context here = io.vertx.core.Vertx.currentContext();
    SignalingSession candidate = detached.get();
    candidate.run(() -> {
      boolean resumed = candidate.resume(channel, hello.get());
      here.runOnContext(v -> {
        if (resumed) {
          session = candidate;
          fresh.onClosed(channel, true); // never said hello: ends without a trace
        } else {
          bindFresh().onText(frame); // answered as a new session: resumed=false
        }
        List<Runnable> queued = waiting;
        waiting = null;
        queued.forEach(Runnable::run);
      });
    });
  }

  private Optional<ClientMessage.Hello> resumingHello(String frame) {
    if (!frame.contains("\"resume\"")) return Optional.empty(); // cheap pre-check before a second parse
    try {
      return supervisor.services().parser().parse(frame) instanceof ClientMessage.Hello h && h.resume().isPresent()
          ? Optional.of(h) : Optional.empty();
    } catch (ProtocolException e) {
      return Optional.empty();
    }
  }
}
