package app.noom.session.transport;

import app.noom.session.ClientChannel;
import io.vertx.core.streams.WriteStream;

/** What both transports share: a bounded write queue with back-pressure, and the address limits count the client by. */
abstract class StreamChannel implements ClientChannel {
    private final WriteStream<?> stream;
    private final String clientAddress;

    /** @param clientAddress the client's address as per-address limits count it (behind a trusted proxy: forwarded) */
    StreamChannel(WriteStream<?> stream, String clientAddress, int writeQueueBytes) {
        this.stream = stream;
        this.clientAddress = clientAddress;
        stream.setWriteQueueMaxSize(writeQueueBytes);
    }

    /**
     * A connection that has just closed is not full: frames still being delivered to its session before the close
     * handler runs are dropped by the transport anyway (and kept in the session's history for a resume).
     */
    @Override
    public final boolean writeQueueFull() {
        return !isClosed() && stream.writeQueueFull();
    }

    /** Whether the transport already knows the connection is closed (Vert.x's WebSocket throws on queries then). */
    protected boolean isClosed() {
        return false;
    }

    @Override
    public final void onDrain(Runnable action) {
        stream.drainHandler(v -> {
            stream.drainHandler(null);
            action.run();
        });
    }

    @Override
    public final String remoteAddress() {
        return clientAddress;
    }
}
