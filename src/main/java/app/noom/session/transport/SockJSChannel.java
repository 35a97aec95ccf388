package app.noom.session.transport;

import app.noom.session.ClientChannel;
import app.noom.session.ClientChannel.Listener;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.function.Function;

/** Adapts a SockJS socket (any of its transports) to {@link ClientChannel}; every SockJS message is a text frame. */
public final class SockJSChannel extends StreamChannel {
    private final SockJSSocket socket;

    private SockJSChannel(SockJSSocket socket, String clientAddress, int writeQueueBytes) {
        super(socket, clientAddress, writeQueueBytes);
        this.socket = socket;
    }

    /** @param clientAddress the client's address as per-address limits count it (behind a trusted proxy: forwarded) */
    public static void attach(
            SockJSSocket socket,
            String clientAddress,
            int writeQueueBytes,
            Function<ClientChannel, Listener> sessions) {
        SockJSChannel channel = new SockJSChannel(socket, clientAddress, writeQueueBytes);
        Listener listener = sessions.apply(channel);
        socket.handler(buffer -> listener.onText(buffer.toString()));
        socket.exceptionHandler(e -> socket.close());
        socket.closeHandler(v -> listener.onClosed(false)); // SockJS cannot tell a drop from a close: clients send bye
    }

    @Override
    public void send(String text) {
        socket.write(text);
    }

    @Override
    public void close(int code, String reason) {
        socket.close(code, reason);
    }
}
