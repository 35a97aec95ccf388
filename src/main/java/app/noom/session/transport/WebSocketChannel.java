package app.noom.session.transport;

import app.noom.session.ClientChannel;
import app.noom.session.ClientChannel.Listener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Adapts a Vert.x WebSocket to {@link ClientChannel}. Knows nothing of what the frames mean. */
public final class WebSocketChannel extends StreamChannel {
    /** How long a closing client may take to read what is still queued for it and answer our close frame. */
    static final long CLOSE_GRACE_SECONDS = 5;

    private static final String FLUSH_CONSOLIDATION = "noom-flush-consolidation";
    /** Netty's default: a connection that gets this many frames in one run of the loop is flushed anyway. */
    private static final int FLUSHES_BEFORE_FORCED_FLUSH = 256;

    private final ServerWebSocket socket;

    private WebSocketChannel(ServerWebSocket socket, String clientAddress, int writeQueueBytes) {
        super(socket, clientAddress, writeQueueBytes);
        this.socket = socket;
    }

    /** @param clientAddress the client's address as per-address limits count it (behind a trusted proxy: forwarded) */
    public static void attach(
            ServerWebSocket socket,
            String clientAddress,
            int writeQueueBytes,
            int maxMessageBytes,
            Function<ClientChannel, Listener> sessions) {
        WebSocketChannel channel = new WebSocketChannel(socket, clientAddress, writeQueueBytes);
        consolidateFlushes(socket);
        dropHttpIdleTimer(socket);
        Listener listener = sessions.apply(channel);
        MessageAssembler messages = new MessageAssembler(maxMessageBytes, new MessageAssembler.Sink() {
            @Override
            public void text(String message) {
                listener.onText(message);
            }

            @Override
            public void binary() {
                listener.onBinary();
            }

            @Override
            public void refuse(int closeCode, String reason) {
                channel.close(closeCode, reason);
            }
        });
        socket.frameHandler(messages::accept);
        socket.exceptionHandler(e -> closeAfter(socket, e));
        socket.closeHandler(v -> listener.onClosed(deliberate(socket.closeStatusCode())));
    }

    /**
     * A frame written outside this connection's own read (a signal from another session, delivered by a task) would
     * otherwise be flushed, one {@code write} system call each, at once; this handler defers such flushes to the end of
     * the event loop's current run, so every frame queued for the connection in that run leaves in one {@code writev}.
     * Flushes within a read are already batched by Vert.x until the read completes.
     */
    private static void consolidateFlushes(ServerWebSocket socket) {
        if (socket instanceof WebSocketInternal internal) {
            ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
            pipeline.addFirst(FLUSH_CONSOLIDATION, new FlushConsolidationHandler(FLUSHES_BEFORE_FORCED_FLUSH, true));
        }
    }

    /**
     * The HTTP server's idle timer (twice the session idle timeout) is for kept-alive HTTP connections; an upgraded one
     * is closed by its session's own sweep first (the hello deadline, the idle timeout). Dropping it from the pipeline
     * frees, for every open WebSocket, a handler, its scheduled task, and the listener it would attach to every write.
     */
    private static void dropHttpIdleTimer(ServerWebSocket socket) {
        if (socket instanceof WebSocketInternal internal) {
            ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
            if (pipeline.get(IdleStateHandler.class) != null) pipeline.remove(IdleStateHandler.class);
        }
    }

    /** An oversize or corrupt frame closes with the code the decoder chose (1009 for too big); the close handler cleans up. */
    private static void closeAfter(ServerWebSocket socket, Throwable error) {
        if (error instanceof CorruptedWebSocketFrameException corrupt) {
            socket.close(
                    (short) corrupt.closeStatus().code(), corrupt.closeStatus().reasonText());
        } else {
            socket.close((short) 1011, "unexpected condition");
        }
    }

    /** 1000 (normal) and 1001 (going away, e.g. tab closed) are deliberate; 1006 (dropped) and others may resume. */
    private static boolean deliberate(Short code) {
        return code != null && (code == 1000 || code == 1001);
    }

    @Override
    protected boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void send(String text) {
        socket.writeTextMessage(text);
    }

    @Override
    public void close(int code, String reason) {
        socket.close((short) code, reason);
        // Vert.x completes a close only once its close frame is written, which never happens for a client that stopped
        // reading (e.g. a 4008 slow consumer): past a grace period the TCP connection is dropped, and the queued frames
        // with it. The close handler then runs as for any drop. The only Vert.x-internal API Noom uses, and only here:
        // no
        // public one bounds that write (Vert.x 5.1's webSocketClosingTimeout starts once the close frame is written,
        // and
        // shutdown(timeout) only delays sending it), so the Netty context is reached through WebSocketInternal.
        if (socket instanceof WebSocketInternal internal) {
            // closing from Vert.x's own handler context skips Vert.x's graceful close (which waits for that very write)
            ChannelHandlerContext tcp = internal.channelHandlerContext();
            tcp.executor()
                    .schedule(
                            () -> {
                                tcp.close();
                            },
                            CLOSE_GRACE_SECONDS,
                            TimeUnit.SECONDS);
        }
    }
}
