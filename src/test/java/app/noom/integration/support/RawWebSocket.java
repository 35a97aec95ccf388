package app.noom.integration.support;

import app.noom.logscan.LogCapture;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain blocking TCP socket (RFC 6455 by hand), for tests that need what a library client
 * hides: choosing exactly when to read (a client that stops reading), a tiny receive buffer, raw frames, the HTTP
 * status of a refused upgrade. Sending is thread-safe; reading belongs to one thread.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int OP_CONTINUATION = 0;
    public static final int OP_TEXT = 1;
    public static final int OP_BINARY = 2;
    public static final int OP_CLOSE = 8;
    public static final int OP_PING = 9;
    public static final int OP_PONG = 10;

    /** One server frame (servers never mask). {@code closeCode} is set for close frames that carry one. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public Integer closeCode() {
            return opcode == OP_CLOSE && payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : null;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int status;
    private final String responseHead;
    private final byte[] responseBody;
    private long bytesRead;

    private RawWebSocket(Socket socket, InputStream in, OutputStream out, int status, String head, byte[] body) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.status = status;
        this.responseHead = head;
        this.responseBody = body;
    }

    /**
     * Connects and sends the upgrade request (version 13 unless {@code headers} names another); returns whatever the
     * server answered (101, or a refusal status with its body). {@code receiveBufferBytes} > 0 pins SO_RCVBUF before connecting (no kernel auto-tuning).
     */
    public static RawWebSocket connect(int port, String path, Map<String, String> headers, int receiveBufferBytes)
            throws IOException {
        return connectFrom(null, port, path, headers, receiveBufferBytes);
    }

    /** As {@link #connect(int, String, Map, int)}, from local address {@code localHost} (e.g. 127.0.0.2) if not null. */
    public static RawWebSocket connectFrom(
            String localHost, int port, String path, Map<String, String> headers, int receiveBufferBytes)
            throws IOException {
        Socket socket = new Socket();
        if (localHost != null) socket.bind(new InetSocketAddress(localHost, 0));
        if (receiveBufferBytes > 0) socket.setReceiveBufferSize(receiveBufferBytes);
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        InputStream in = new BufferedInputStream(socket.getInputStream(), 65_536);
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 65_536);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + (headers.containsKey("Sec-WebSocket-Version") ? "" : "Sec-WebSocket-Version: 13\r\n")
                + "Sec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String head = readHead(in);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        byte[] body = new byte[0];
        if (status != 101) {
            int length = head.lines()
                    .filter(l -> l.toLowerCase().startsWith("content-length:"))
                    .map(l -> Integer.parseInt(l.substring(15).trim()))
                    .findFirst()
                    .orElse(0);
            body = in.readNBytes(length);
        }
        return new RawWebSocket(socket, in, out, status, head, body);
    }

    public static RawWebSocket connect(int port) throws IOException {
        return connect(port, "/signal", Map.of(), 0);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed during the handshake: " + head);
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    public int status() {
        return status;
    }

    public String responseHead() {
        return responseHead;
    }

    public String responseBody() {
        return new String(responseBody, StandardCharsets.UTF_8);
    }

    public long bytesRead() {
        return bytesRead;
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public void sendText(String text) throws IOException {
        sendFrame(OP_TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Writes a masked frame; {@code flush} false lets callers pipeline many frames into one write. */
    public synchronized void sendFrame(int opcode, byte[] payload, boolean flush) throws IOException {
        sendFragment(opcode, payload, true, flush);
    }

    /** One frame of a possibly fragmented message: opcode 0 continues it, {@code fin} ends it. */
    public synchronized void sendFragment(int opcode, byte[] payload, boolean fin, boolean flush) throws IOException {
        int n = payload.length;
        out.write((fin ? 0x80 : 0) | opcode);
        if (n < 126) {
            out.write(0x80 | n);
        } else if (n < 65_536) {
            out.write(0x80 | 126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) out.write((int) ((long) n >>> shift));
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.write(mask);
        byte[] masked = new byte[n];
        for (int i = 0; i < n; i++) masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        out.write(masked);
        if (flush) out.flush();
    }

    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** Reads the next whole frame (no fragmentation support: servers here send unfragmented frames). */
    public Frame readFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        long length = b1 & 0x7f;
        if (length == 126) length = (readByte() << 8) | readByte();
        else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) length = (length << 8) | readByte();
        }
        if ((b1 & 0x80) != 0) throw new IOException("server frames must not be masked");
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) throw new EOFException("connection closed inside a frame");
        bytesRead += 2 + length;
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads until the server's close frame and returns its code (fails if a text frame or EOF comes first). */
    public int awaitCloseCode() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == OP_CLOSE) return f.closeCode() == null ? 1005 : f.closeCode();
            if (f.opcode() == OP_TEXT) throw new IOException("expected a close, got " + f.text());
        }
    }

    /** The next text frame, skipping pings; fails on close. */
    public String readText() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == OP_TEXT) {
                String text = f.text();
                if (text.contains("\"resumeToken\"") || text.contains("\"credential\"")) {
                    LogCapture.fromMessage(new io.vertx.core.json.JsonObject(text)); // for the log scan
                }
                return text;
            }
            if (f.opcode() == OP_CLOSE) throw new EOFException("closed by the server, code " + f.closeCode());
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException();
        return b;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
