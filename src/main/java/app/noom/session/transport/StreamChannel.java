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

    @Override
    public final boolean writeQueueFull() {
        return stream.writeQueueFull();
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
