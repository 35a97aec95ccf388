package app.noom.relay.redis;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * Notices a Redis that went silent. A network partition closes nothing: no FIN, no RST, the node's commands and its
 * subscription simply never get an answer, and without this the connections looked healthy for many minutes (TCP
 * retransmission), with {@code /ready} at 200. Each connection gets a PING every tick; one from which nothing at all
 * was heard for {@link #SILENT_TICKS} ticks is lost.
 *
 * <p>"Anything heard", not "the PING answered": on a subscriber connection the Vert.x client does not always pair a
 * PONG with its PING (vertx-redis-client 5.2.3: after an UNSUBSCRIBE, whose RESP3 confirmation is a push, the PONG goes
 * to the push handler and the PING never completes) — so pushes count ({@link #heard}), and a PING goes out every
 * tick, not only once the previous one was answered.
 *
 * <p>Ticks, not wall time: a node frozen for a while (SIGSTOP, {@code docker pause}, a long GC) finds Redis's answers
 * waiting in its socket when it wakes, and must not take its own sleep for Redis's silence — dropping the subscriber
 * connection then would throw away the messages buffered in it. Each tick is a fresh one-shot timer, so missed ticks
 * are not fired back to back after a freeze.
 */
final class RedisProbe {
    static final long TICK_MS = 1_000;
    static final int SILENT_TICKS = 5;

    private final Vertx vertx;
    private long timer = -1;
    private int generation;
    private int[] silentTicks = new int[0];

    RedisProbe(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Starts probing {@code connections}; {@code onSilence} runs once, on this context, when one goes silent. */
    void watch(List<RedisConnection> connections, Runnable onSilence) {
        stop();
        int watching = ++generation;
        silentTicks = new int[connections.size()];
        tick(watching, connections, onSilence);
    }

    /** Something arrived on connection {@code index} (in the order given to {@link #watch}): it is alive. */
    void heard(int index) {
        if (index < silentTicks.length) silentTicks[index] = 0;
    }

    void stop() {
        generation++;
        if (timer >= 0) vertx.cancelTimer(timer);
        timer = -1;
    }

    private void tick(int watching, List<RedisConnection> connections, Runnable onSilence) {
        timer = vertx.setTimer(TICK_MS, id -> {
            if (watching != generation) return;
            for (int i = 0; i < connections.size(); i++) {
                if (++silentTicks[i] > SILENT_TICKS) {
                    stop();
                    onSilence.run();
                    return;
                }
                int index = i;
                // a failed PING is a lost connection too, but the connection's own exception/end handler reports that
                connections.get(i).send(Request.cmd(Command.PING)).onSuccess(pong -> {
                    if (watching == generation) heard(index);
                });
            }
            tick(watching, connections, onSilence);
        });
    }
}
