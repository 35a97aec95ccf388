package app.noom.session;

/** A connected client as the session layer sees it: text out, close. WebSocket and SockJS each adapt to this. */
public interface ClientChannel {

    void send(String text);

    /** Closes with a WebSocket-style close code (SockJS carries it in its close frame). */
    void close(int code, String reason);

    /** True when the client reads slower than we write and the bounded write queue is full. */
    boolean writeQueueFull();

    /** Runs {@code action} once, when a full write queue has drained. */
    void onDrain(Runnable action);

    String remoteAddress();

    /** What the transport hands to the session: frames in, and the end of the connection. */
    interface Listener {
        void onText(String frame);

        void onBinary();

        /** @param deliberate the client closed on purpose (WebSocket 1000/1001): no resume is coming */
        void onClosed(boolean deliberate);
    }
}
