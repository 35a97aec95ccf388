package app.noom.relay.redis;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * Notices a Redis that went silent. A network partition closes nothing: no FIN, no RST, the node's commands and its
 * subscription simply never get an answer, and without this the connections looked healthy for many minutes (TCP
 * retransmission), with {@code /ready} at 200. Each connection gets a PING once a second; one left unanswered for
 * {@link #SILENT_TICKS} ticks means the connection is lost.
 *
 * <p>Ticks, not wall time: a node frozen for a while (SIGSTOP, {@code docker pause}, a long GC) finds Redis's answers
 * waiting in its socket when it wakes, and must not take its own sleep for Redis's silence — dropping the subscriber
 * connection then would throw away the messages buffered in it. Each tick is a fresh one-shot timer, so missed ticks
 * are not fired back to back after a freeze.
 */
final class RedisProbe {
  static final long TICK_MS = 1_000;
  static final int SILENT_TICKS = 3;

  private final Vertx vertx;
  private long timer = -1;
  private int generation;

  RedisProbe(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts probing {@code connections}; {@code onSilence} runs once, on this context, when one stops answering. */
  void watch(List<RedisConnection> connections, Runnable onSilence) {
    stop();
    int watching = ++generation;
    int[] unanswered = new int[connections.size()]; // ticks since each connection's outstanding PING was sent
    tick(watching, connections, unanswered, onSilence);
  }

  void stop() {
    generation++;
    if (timer >= 0) vertx.cancelTimer(timer);
    timer = -1;
  }

  private void tick(int watching, List<RedisConnection> connections, int[] unanswered, Runnable onSilence) {
    timer = vertx.setTimer(TICK_MS, id -> {
      if (watching != generation) return;
      for (int i = 0; i < connections.size(); i++) {
        if (unanswered[i] > 0 && ++unanswered[i] > SILENT_TICKS) {
          stop();
          onSilence.run();
          return;
        }
        if (unanswered[i] == 0) ping(watching, connections.get(i), unanswered, i);
      }
      tick(watching, connections, unanswered, onSilence);
    });
  }

  private void ping(int watching, RedisConnection connection, int[] unanswered, int index) {
    unanswered[index] = 1;
    connection.send(Request.cmd(Command.PING)).onComplete(answer -> {
      // a failed PING is a lost connection too, but the connection's own exception/end handler reports that
      if (watching == generation && answer.succeeded()) unanswered[index] = 0;
    });
  }
}
