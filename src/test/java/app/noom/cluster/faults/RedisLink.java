package app.noom.cluster.faults;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The network between one node process and Redis, as a TCP proxy that can be partitioned: while cut, nothing passes in
 * either direction — no data, no close — as when a cable is pulled; connections opened meanwhile hang unanswered.
 * Healing resets what was cut off (both ends closed: the bytes lost in between broke those streams) and forwards
 * new connections again.
 */
final class RedisLink implements AutoCloseable {
    private final NetServer server;
    private final List<NetSocket> live = new CopyOnWriteArrayList<>();
    private final List<NetSocket> cutOff = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    RedisLink(Vertx vertx, int redisPort) throws Exception {
        server = vertx.createNetServer().connectHandler(front -> {
            if (cut) {
                cutOff.add(front);
                front.handler(data -> {});
                return;
            }
            front.pause();
            vertx.createNetClient()
                    .connect(redisPort, "127.0.0.1")
                    .onSuccess(back -> {
                        live.add(front);
                        live.add(back);
                        forward(front, back);
                        forward(back, front);
                        front.resume();
                    })
                    .onFailure(e -> front.close());
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void forward(NetSocket from, NetSocket to) {
        from.handler(data -> {
            if (!cutOff.contains(from)) to.write(data);
        });
        from.closeHandler(v -> {
            live.remove(from);
            if (!cutOff.contains(from)) to.close();
        });
    }

    int port() {
        return server.actualPort();
    }

    void cut() {
        cut = true;
        cutOff.addAll(live);
    }

    void heal() {
        cut = false;
        List<NetSocket> broken = List.copyOf(cutOff);
        cutOff.clear();
        broken.forEach(NetSocket::close);
    }

    @Override
    public void close() {
        heal();
        live.forEach(NetSocket::close);
        server.close();
    }
}
