package app.noom.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny TCP load balancer for browser tests: listens on one loopback port and forwards each new connection to the
 * first backend (in the preference order it was given) that accepts it. Connections already forwarded stay with their
 * backend; when that backend dies, both halves are closed (the browser sees its WebSocket drop, as behind a real load
 * balancer), and the next connection lands on the next backend that accepts. Plain bytes, so page loads and WebSockets
 * alike go through it.
 */
final class FailoverProxy implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 1_000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final ServerSocket listener;
    private final List<Integer> backendPorts;
    private final Map<Integer, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private FailoverProxy(ServerSocket listener, List<Integer> backendPorts) {
        this.listener = listener;
        this.backendPorts = List.copyOf(backendPorts);
        backendPorts.forEach(port -> accepted.put(port, new AtomicInteger()));
    }

    /** Starts a proxy on a free loopback port that prefers the backends in the order given. */
    static FailoverProxy preferring(int... backendPorts) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            FailoverProxy proxy = new FailoverProxy(
                    listener, Arrays.stream(backendPorts).boxed().toList());
            daemon("failover-proxy-accept", proxy::acceptLoop).start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** How many client connections were forwarded to the backend on {@code backendPort} so far. */
    int connectionsForwardedTo(int backendPort) {
        AtomicInteger count = accepted.get(backendPort);
        return count == null ? 0 : count.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket front;
            try {
                front = listener.accept();
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            daemon("failover-proxy-connect", () -> forward(front)).start();
        }
    }

    private void forward(Socket front) {
        open.add(front);
        for (int port : backendPorts) {
            Socket back = new Socket();
            try {
                back.connect(new InetSocketAddress(LOOPBACK, port), CONNECT_TIMEOUT_MS);
            } catch (IOException refused) {
                closeQuietly(back);
                continue; // dead or not listening: try the next one
            }
            open.add(back);
            accepted.get(port).incrementAndGet();
            try {
                front.setTcpNoDelay(true);
                back.setTcpNoDelay(true);
            } catch (SocketException ignored) {
                // only latency
            }
            daemon("failover-proxy-up", () -> pump(front, back)).start();
            daemon("failover-proxy-down", () -> pump(back, front)).start();
            return;
        }
        closeQuietly(front); // no backend alive: the client sees the connection refused/closed
    }

    /** Copies one direction until it ends, then closes both sockets (no half-close: neither browsers nor nodes use it). */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ended) {
            // reset by a killed backend, or closed by the other pump
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(this::closeQuietly);
    }
}
