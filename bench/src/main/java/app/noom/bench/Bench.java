package app.noom.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * The Noom benchmark load generator. One process, one event loop (pin it to its own core), open loop.
 *
 * <pre>
 * java -jar noom-bench.jar MODE key=value...
 *   tcp-echo-server port=P                       a blocking echo server (the floor's other end)
 *   tcp-floor  port=P n=20000 [pauseUs=0]        closed-loop 64 B round trips on loopback (pauseUs: idle between them)
 *   redis-floor port=P n=20000 [pauseUs=0]       PUBLISH on one connection → message on a SUBSCRIBE connection
 *   pingpong proto=.. urls=.. rooms=1 bytes=64 warmup=3 secs=5
 *                                                closed loop: one signal in flight per pair, the receiver sends the next
 *   relay proto=noom|sio urls=h:p[,h:p] rooms=1 size=2 mode=signal|chat bytes=64 rates=1000[,2000..] warmup=3 secs=10
 *                                                open-loop relay at each offered rate (sends/s); stops at the first rate
 *                                                whose p99 exceeds maxP99Ms (default 5) or that loses/blocks messages;
 *                                                prewarm=S sends at the first rate for S s before the first step
 *   idle  proto=.. urls=.. n=10000 [base=2000] pid=PID kind=java|node memUrl=http://..   N sessions joined in 2-person rooms:
 *         RSS and heap after GC per session, counted from after `base` sessions (the slope) and from the fresh server
 *   storm proto=.. urls=.. n=5000 window=500     connect + hello + join as fast as allowed (window in flight)
 *   setup proto=.. urls=.. pairs=1000            join, offer, answer and 2×10 candidates per pair, all pairs at once
 * </pre>
 * Every mode prints one or more lines "RESULT {json}".
 */
public final class Bench {
  static Map<String, String> args = new HashMap<>();

  public static void main(String[] argv) throws Exception {
    String mode = argv.length > 0 ? argv[0] : "help";
    for (int i = 1; i < argv.length; i++) {
      int eq = argv[i].indexOf('=');
      args.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
    }
    try {
      dispatch(mode);
    } catch (Throwable t) {
      t.printStackTrace();
      System.out.println("RESULT " + new JsonObject().put("mode", mode).put("error", String.valueOf(t)).encode());
      System.exit(1);
    }
    System.exit(0);
  }

  static void dispatch(String mode) throws Exception {
    switch (mode) {
      case "tcp-echo-server" -> tcpEchoServer();
      case "tcp-floor" -> tcpFloor();
      case "redis-floor" -> redisFloor();
      case "relay" -> new Bench().relay();
      case "pingpong" -> new Bench().pingpong();
      case "idle" -> new Bench().idle();
      case "storm" -> new Bench().storm();
      case "setup" -> new Bench().setup();
      default -> {
        System.err.println("modes: tcp-echo-server tcp-floor redis-floor relay idle storm setup (see Bench.java)");
        System.exit(2);
      }
    }
  }

  static String arg(String k, String def) { return args.getOrDefault(k, def); }

  static int argInt(String k, int def) { return Integer.parseInt(arg(k, String.valueOf(def))); }

  static Histogram histogram() { return new Histogram(TimeUnit.SECONDS.toNanos(60), 3); }

  static JsonObject summary(Histogram h) {
    return new JsonObject().put("count", h.getTotalCount())
        .put("p50us", us(h.getValueAtPercentile(50))).put("p99us", us(h.getValueAtPercentile(99)))
        .put("p999us", us(h.getValueAtPercentile(99.9))).put("maxus", us(h.getMaxValue()));
  }

  static double us(long nanos) { return Math.round(nanos / 100.0) / 10.0; }

  static void result(JsonObject o) {
    if (args.containsKey("wl")) o.put("wl", args.get("wl"));
    if (args.containsKey("run")) o.put("run", Integer.parseInt(args.get("run")));
    System.out.println("RESULT " + o.encode());
    System.out.flush();
  }

  // ---------------------------------------------------------------- floors

  static void tcpEchoServer() throws IOException {
    try (ServerSocket ss = new ServerSocket()) {
      ss.bind(new InetSocketAddress("127.0.0.1", argInt("port", 0)));
      System.out.println("LISTENING " + ss.getLocalPort());
      System.out.flush();
      while (true) {
        Socket s = ss.accept();
        s.setTcpNoDelay(true);
        Thread t = new Thread(() -> {
          byte[] buf = new byte[4096];
          try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
          } catch (IOException ignored) {
            // client gone
          }
        });
        t.setDaemon(true);
        t.start();
      }
    }
  }

  static void tcpFloor() throws IOException {
    int n = argInt("n", 20000);
    int warm = n / 5;
    Histogram h = histogram();
    long pauseNanos = argInt("pauseUs", 0) * 1000L;
    byte[] msg = new byte[64];
    byte[] buf = new byte[64];
    try (Socket s = new Socket("127.0.0.1", argInt("port", 0))) {
      s.setTcpNoDelay(true);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < n + warm; i++) {
        long t0 = System.nanoTime();
        out.write(msg);
        int got = 0;
        while (got < 64) got += in.read(buf, got, 64 - got);
        long dt = System.nanoTime() - t0;
        if (i >= warm) h.recordValue(dt);
        idleBetween(pauseNanos);
      }
    }
    result(new JsonObject().put("mode", "tcp-floor").put("bytes", 64).put("pauseUs", pauseNanos / 1000).mergeIn(summary(h)));
  }

  /** PUBLISH on one connection, the message arrives on another (SUBSCRIBE): one Redis hop, closed loop. */
  static void redisFloor() throws Exception {
    int n = argInt("n", 20000);
    int warm = n / 5;
    int port = argInt("port", 6379);
    long pauseNanos = argInt("pauseUs", 0) * 1000L;
    Histogram h = histogram();
    try (Socket sub = new Socket("127.0.0.1", port); Socket pub = new Socket("127.0.0.1", port)) {
      sub.setTcpNoDelay(true);
      pub.setTcpNoDelay(true);
      OutputStream so = sub.getOutputStream();
      InputStream si = sub.getInputStream();
      OutputStream po = pub.getOutputStream();
      InputStream pi = pub.getInputStream();
      so.write("*2\r\n$9\r\nSUBSCRIBE\r\n$10\r\nbench:hop1\r\n".getBytes(StandardCharsets.US_ASCII));
      so.flush();
      byte[] buf = new byte[65536];
      readUntil(si, buf, ":1\r\n"); // subscribe confirmation ends with the count
      byte[] pbuf = new byte[1024];
      for (int i = 0; i < n + warm; i++) {
        String payload = String.format("%019d", i);
        byte[] cmd = ("*3\r\n$7\r\nPUBLISH\r\n$10\r\nbench:hop1\r\n$19\r\n" + payload + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long t0 = System.nanoTime();
        po.write(cmd);
        readUntil(si, buf, payload + "\r\n");
        long dt = System.nanoTime() - t0;
        readUntil(pi, pbuf, "\r\n"); // ":1\r\n" publish reply
        if (i >= warm) h.recordValue(dt);
        idleBetween(pauseNanos);
      }
    }
    result(new JsonObject().put("mode", "redis-floor").put("pauseUs", pauseNanos / 1000).mergeIn(summary(h)));
  }

  /**
   * pauseUs=1000 turns a closed-loop floor into the open-loop one (one round trip per ms, as the 1,000 msgs/s latency
   * rows): on this VM a core that went idle between messages costs a wake-up on each side, which closed loops never pay.
   */
  private static void idleBetween(long pauseNanos) {
    if (pauseNanos > 0) java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
  }

  private static void readUntil(InputStream in, byte[] buf, String end) throws IOException {
    int got = 0;
    byte[] e = end.getBytes(StandardCharsets.US_ASCII);
    while (true) {
      int r = in.read(buf, got, buf.length - got);
      if (r < 0) throw new IOException("eof");
      got += r;
      if (got >= e.length) {
        boolean match = true;
        for (int k = 0; k < e.length; k++) if (buf[got - e.length + k] != e[k]) { match = false; break; }
        if (match) return;
      }
    }
  }

  // ---------------------------------------------------------------- WebSocket workloads

  final Vertx vertx;
  final Context ctx;
  final WebSocketClient wsc;
  final Proto proto;
  final String[] urls;
  final List<Client> clients = new ArrayList<>();
  final String tag;

  Bench() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(argInt("loops", 1)).setWorkerPoolSize(1)
        .setBlockedThreadCheckInterval(60_000));
    ctx = vertx.getOrCreateContext();
    wsc = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1_000_000)
        .setMaxFrameSize(262144).setMaxMessageSize(262144).setTcpNoDelay(true).setConnectTimeout(30_000));
    proto = Proto.of(arg("proto", "noom"));
    urls = arg("urls", "127.0.0.1:8080").split(",");
    tag = arg("tag", arg("proto", "noom"));
    // keep sessions alive: Noom closes a session with no client message for 45 s; engine.io pings, we pong.
    vertx.setPeriodic(15_000, id -> clients.forEach(c -> { if (c.ws != null) c.ping(); }));
  }

  /** Creates n clients; member j of each room goes to urls[j % urls.length] (so 2 nodes = cross-node rooms). */
  void create(int n, int roomSize, Client.Listener l) {
    int from = clients.size();
    for (int i = from; i < from + n; i++) {
      Client c = new Client(i, proto, urls[(i % roomSize) % urls.length]);
      c.listener = l;
      clients.add(c);
    }
  }

  /** Runs fn on the event loop and waits for the future it returns. */
  <T> T onLoop(java.util.function.Supplier<Future<T>> fn) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> fn.get().onComplete(p));
    return p.future().await();
  }

  /** Connects + hello every client, at most `window` in flight. */
  Future<Void> openAll(List<Client> cs, int window) {
    Promise<Void> all = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    int n = cs.size();
    if (n == 0) return Future.succeededFuture();
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n) return;
      cs.get(i).open(wsc).onComplete(ar -> {
        if (ar.failed()) { all.tryFail(new RuntimeException("client " + i + " failed to open: " + ar.cause())); return; }
        if (done.incrementAndGet() == n) all.tryComplete();
        else launch[0].run();
      });
    };
    for (int k = 0; k < Math.min(window, n); k++) launch[0].run();
    return all.future();
  }

  /** Joins each room's members in order (member 0 first), rooms concurrently, at most `window` rooms in flight. */
  Future<Void> joinAll(int roomSize, int window) {
    return joinAll(roomSize, window, 0);
  }

  /** The same for the clients from index `from` on (`from` a multiple of roomSize). */
  Future<Void> joinAll(int roomSize, int window, int from) {
    Promise<Void> all = Promise.promise();
    int rooms = (clients.size() - from) / roomSize;
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      int r = next.getAndIncrement();
      if (r >= rooms) return;
      Future<Void> f = Future.succeededFuture();
      int room = from / roomSize + r;
      for (int j = 0; j < roomSize; j++) {
        Client c = clients.get(from + r * roomSize + j);
        f = f.compose(v -> c.join(tag + "-r" + room));
      }
      f.onComplete(ar -> {
        if (ar.failed()) { all.tryFail(new RuntimeException("room " + r + ": " + ar.cause())); return; }
        if (done.incrementAndGet() == rooms) all.tryComplete();
        else launch[0].run();
      });
    };
    for (int k = 0; k < Math.min(window, rooms); k++) launch[0].run();
    return all.future();
  }

  static long[] cpuTicks(long[] pids) {
    long[] t = new long[pids.length];
    for (int i = 0; i < pids.length; i++) {
      try {
        String s = Files.readString(Path.of("/proc/" + pids[i] + "/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        t[i] = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime (fields 14, 15)
      } catch (IOException e) {
        t[i] = -1;
      }
    }
    return t;
  }

  static long[] pids(String list) {
    List<Long> l = new ArrayList<>();
    l.add(ProcessHandle.current().pid());
    if (!list.isBlank()) for (String p : list.split(",")) l.add(Long.parseLong(p.trim()));
    return l.stream().mapToLong(Long::longValue).toArray();
  }

  // ---- relay: latency at low rate, and the throughput–latency curve

  final class Window implements Client.Listener {
    volatile long from = Long.MAX_VALUE, to = Long.MAX_VALUE;
    Histogram h = histogram();
    long received;
    // trace=path: every measured message as "sendNanos latencyNanos", to see when the slow ones happen (a StringBuffer:
    // the event loop appends, the main thread writes the file while late messages may still arrive)
    final StringBuffer trace = arg("trace", "").isEmpty() ? null : new StringBuffer();

    public void onTimed(Client c, String text, long now) {
      long st = Proto.stamp(text);
      if (st >= from && st < to) {
        h.recordValue(Math.max(0, now - st));
        received++;
        if (trace != null) trace.append(st).append(' ').append(now - st).append('\n');
      }
    }
  }

  /**
   * Closed loop, one message in flight per room of 2: whoever receives the timed signal answers with the next one. This
   * is how the baselines were taken (raw TCP p50 56 µs, socket.io pair p50 78 µs): the cores never sit idle
   * between messages, so the row shows the relay's own latency without this VM's wake-up cost (see the open-loop floor).
   */
  void pingpong() throws Exception {
    int rooms = argInt("rooms", 1);
    int bytes = argInt("bytes", 64);
    long[] pids = pids(arg("pids", ""));
    Window w = new Window();
    boolean[] stop = {false};
    Client.Listener answer = (c, text, now) -> {
      w.onTimed(c, text, now);
      if (!stop[0]) c.send(proto.signal(c.nextId++, c.room, c.partner.sessionId, "candidate", Proto.payload(System.nanoTime(), bytes)));
    };
    create(rooms * 2, 2, answer);
    onLoop(() -> openAll(clients, 200));
    onLoop(() -> joinAll(2, 100));
    for (int r = 0; r < rooms; r++) {
      clients.get(2 * r).partner = clients.get(2 * r + 1);
      clients.get(2 * r + 1).partner = clients.get(2 * r);
    }
    Thread.sleep(300);
    ctx.runOnContext(v -> {
      for (int r = 0; r < rooms; r++) {
        Client c = clients.get(2 * r);
        c.send(proto.signal(c.nextId++, c.room, c.partner.sessionId, "candidate", Proto.payload(System.nanoTime(), bytes)));
      }
    });
    Thread.sleep(argInt("warmup", 3) * 1000L);
    long[] c0 = cpuTicks(pids);
    long t0 = System.nanoTime();
    w.h = histogram();
    w.received = 0;
    w.from = t0;
    Thread.sleep(argInt("secs", 5) * 1000L);
    long t1 = System.nanoTime();
    w.to = t1;
    long[] c1 = cpuTicks(pids);
    ctx.runOnContext(v -> stop[0] = true);
    Thread.sleep(300);
    double elapsed = (t1 - t0) / 1e9;
    StringBuilder cpu = new StringBuilder();
    for (int i = 0; i < pids.length; i++) cpu.append(i == 0 ? "" : ",").append(Math.round((c1[i] - c0[i]) / elapsed));
    result(new JsonObject().put("mode", "pingpong").put("tag", tag).put("proto", arg("proto", "noom"))
        .put("nodes", urls.length).put("rooms", rooms).put("bytes", bytes)
        .put("deliveredPerSec", Math.round(w.received / elapsed)).put("received", w.received)
        .put("cpuPct", cpu.toString()).mergeIn(summary(w.h)));
    if (w.trace != null) java.nio.file.Files.writeString(java.nio.file.Path.of(arg("trace", "")), w.trace.toString());
    clients.forEach(Client::close);
    Thread.sleep(300);
  }

  void relay() throws Exception {
    int rooms = argInt("rooms", 1);
    int size = argInt("size", 2);
    boolean chat = arg("mode", "signal").equals("chat");
    int bytes = argInt("bytes", 64);
    int warmup = argInt("warmup", 3);
    int secs = argInt("secs", 10);
    double maxP99Ms = Double.parseDouble(arg("maxP99Ms", "5"));
    double maxP99 = maxP99Ms * 1e6; // nanos
    long[] pids = pids(arg("pids", ""));
    Window w = new Window();
    create(rooms * size, size, w);
    onLoop(() -> openAll(clients, 200));
    onLoop(() -> joinAll(size, 100));
    for (int r = 0; r < rooms; r++) {
      for (int j = 0; j < size; j++) clients.get(r * size + j).partner = clients.get(r * size + (j + 1) % size);
    }
    Thread.sleep(500);
    String[] rates = arg("rates", "1000").split(",");
    int prewarm = argInt("prewarm", 0);
    if (prewarm > 0) { // this generator JVM and the server's new sessions warm up at the first rate, unmeasured
      Sender w0 = new Sender(Integer.parseInt(rates[0].trim()), chat, bytes);
      ctx.runOnContext(v -> w0.start());
      Thread.sleep(prewarm * 1000L);
      w0.stop = true;
      Thread.sleep(300);
    }
    int held = 0;
    JsonObject best = null;
    for (String rs : rates) {
      int rate = Integer.parseInt(rs.trim());
      Sender s = new Sender(rate, chat, bytes);
      ctx.runOnContext(v -> s.start());
      Thread.sleep(warmup * 1000L);
      long[] c0 = cpuTicks(pids);
      long t0 = System.nanoTime();
      long sent0 = s.sent;
      long blocked0 = s.blocked;
      w.h = histogram();
      w.received = 0;
      w.to = Long.MAX_VALUE;
      w.from = t0;
      Thread.sleep(secs * 1000L);
      long t1 = System.nanoTime();
      w.to = t1;
      long sent1 = s.sent;
      long[] c1 = cpuTicks(pids);
      Thread.sleep(Math.max(1000, (long) (maxP99Ms * 4)));
      s.stop = true;
      Thread.sleep(200);
      double elapsed = (t1 - t0) / 1e9;
      long expected = (sent1 - sent0) * (chat ? size : 1);
      Histogram h = w.h;
      JsonObject o = new JsonObject().put("mode", "relay").put("tag", tag).put("proto", arg("proto", "noom"))
          .put("nodes", urls.length).put("rooms", rooms).put("size", size).put("kind", chat ? "chat" : "signal")
          .put("bytes", bytes).put("offered", rate).put("sentPerSec", Math.round((sent1 - sent0) / elapsed))
          .put("deliveredPerSec", Math.round(w.received / elapsed)).put("expected", expected).put("received", w.received)
          .put("blocked", s.blocked - blocked0).put("behind", s.behind).mergeIn(summary(h));
      StringBuilder cpu = new StringBuilder();
      for (int i = 0; i < pids.length; i++) {
        cpu.append(i == 0 ? "" : ",").append(Math.round((c1[i] - c0[i]) / elapsed)); // ticks/s = % of one core
      }
      o.put("cpuPct", cpu.toString()); // generator first, then the given server pids
      boolean ok = h.getValueAtPercentile(99) <= maxP99 && w.received >= expected * 0.99 && s.blocked == blocked0
          && (sent1 - sent0) >= rate * elapsed * 0.95;
      o.put("ok", ok);
      result(o);
      if (w.trace != null) java.nio.file.Files.writeString(java.nio.file.Path.of(arg("trace", "") + "-" + rate), w.trace.toString());
      if (!ok) break;
      held = rate;
      best = o;
    }
    if (rates.length > 1) {
      result(new JsonObject().put("mode", "curve").put("tag", tag).put("proto", arg("proto", "noom"))
          .put("nodes", urls.length).put("rooms", rooms).put("size", size).put("kind", chat ? "chat" : "signal")
          .put("heldRate", held).put("heldDelivered", best == null ? 0 : best.getLong("deliveredPerSec"))
          .put("at", best));
    }
    clients.forEach(Client::close);
    Thread.sleep(300);
  }

  /** Open loop: a 1 ms tick sends whatever the offered rate says is due by now, round robin over every client. */
  final class Sender {
    final int rate;
    final boolean chat;
    final int bytes;
    volatile boolean stop;
    long start, skipped, sent, blocked, behind; // sent: frames actually written
    int next;

    Sender(int rate, boolean chat, int bytes) {
      this.rate = rate;
      this.chat = chat;
      this.bytes = bytes;
    }

    void start() {
      start = System.nanoTime();
      vertx.setPeriodic(1, id -> {
        if (stop) { vertx.cancelTimer(id); return; }
        long now = System.nanoTime();
        long due = (long) ((now - start) * (rate / 1e9));
        long todo = due - sent - blocked - skipped;
        // more than 100 ms behind (the loop was starved): skip what is overdue rather than burst it; counted as `behind`
        if (todo > rate / 10 + 10) { behind += todo - rate / 10; skipped += todo - rate / 10; todo = rate / 10; }
        int n = clients.size();
        for (long k = 0; k < todo; k++) {
          Client c = clients.get(next);
          next = next + 1 == n ? 0 : next + 1;
          long st = System.nanoTime();
          String frame = chat ? proto.chat(c.nextId++, c.room, Proto.chatText(st, bytes))
              : proto.signal(c.nextId++, c.room, c.partner.sessionId, "candidate", Proto.payload(st, bytes));
          if (c.send(frame)) sent++;
          else blocked++;
        }
      });
    }
  }

  // ---- idle sessions: memory per joined session

  void idle() throws Exception {
    int n = argInt("n", 10000);
    int base = argInt("base", 0); // sessions joined before "before": fixed costs (JIT, code cache) stay out of the slope
    long pid = Long.parseLong(arg("pid", "0"));
    String kind = arg("kind", "java");
    Client.Listener none = (c, t, now) -> {};
    JsonObject fresh = memory(pid, kind);
    JsonObject before = fresh;
    if (base > 0) {
      create(base, 2, none);
      onLoop(() -> openAll(clients, 500));
      onLoop(() -> joinAll(2, 250));
      Thread.sleep(argInt("settle", 3) * 1000L);
      before = memory(pid, kind);
    }
    int from = clients.size();
    create(n, 2, none);
    long t0 = System.nanoTime();
    onLoop(() -> openAll(clients.subList(from, clients.size()), 500));
    onLoop(() -> joinAll(2, 250, from));
    double secs = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(argInt("settle", 3) * 1000L);
    JsonObject after = memory(pid, kind);
    long errors = clients.stream().mapToLong(c -> c.errors).sum();
    JsonObject o = new JsonObject().put("mode", "idle").put("tag", tag).put("proto", arg("proto", "noom")).put("n", n)
        .put("base", base).put("setupSecs", Math.round(secs * 10) / 10.0).put("errors", errors).put("fresh", fresh)
        .put("before", before).put("after", after)
        .put("rssPerSessionKB", perSession(after, before, "rssKB", n))
        .put("heapPerSessionKB", perSession(after, before, "heapKB", n))
        .put("rssPerSessionFromFreshKB", perSession(after, fresh, "rssKB", n + base))
        .put("heapPerSessionFromFreshKB", perSession(after, fresh, "heapKB", n + base));
    result(o);
    clients.forEach(Client::close);
    Thread.sleep(1000);
  }

  private static double perSession(JsonObject after, JsonObject before, String key, int sessions) {
    return Math.round((after.getLong(key) - before.getLong(key)) * 100.0 / sessions) / 100.0;
  }

  static JsonObject memory(long pid, String kind) throws Exception {
    long heapKB;
    if (kind.equals("node")) {
      String body = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create(arg("memUrl", ""))).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      heapKB = new JsonObject(body).getLong("heapUsed") / 1024;
    } else {
      run("jcmd", String.valueOf(pid), "GC.run");
      Thread.sleep(300);
      List<String> lines = run("jstat", "-gc", String.valueOf(pid));
      String[] head = lines.get(0).trim().split("\\s+");
      String[] vals = lines.get(1).trim().split("\\s+");
      double used = 0;
      for (int i = 0; i < head.length; i++) {
        if (List.of("S0U", "S1U", "EU", "OU").contains(head[i])) used += Double.parseDouble(vals[i]);
      }
      heapKB = Math.round(used);
    }
    long rss = 0;
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) rss = Long.parseLong(l.replaceAll("[^0-9]", ""));
    }
    return new JsonObject().put("rssKB", rss).put("heapKB", heapKB);
  }

  static List<String> run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      String l;
      while ((l = r.readLine()) != null) out.add(l);
    }
    p.waitFor();
    return out;
  }

  // ---- join storm

  void storm() throws Exception {
    int n = argInt("n", 5000);
    int window = argInt("window", 500);
    Histogram joinH = histogram();
    Histogram sessionH = histogram();
    create(n, 2, (c, t, now) -> {});
    Promise<Void> all = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    long[] t = new long[2];
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n) return;
      Client c = clients.get(i);
      long s0 = System.nanoTime();
      c.open(wsc).compose(v -> {
        c.t0 = System.nanoTime();
        return c.join(tag + "-s" + (i / 2));
      }).onComplete(ar -> {
        long now = System.nanoTime();
        if (ar.failed()) { all.tryFail(new RuntimeException("client " + i + ": " + ar.cause())); return; }
        joinH.recordValue(now - c.t0);
        sessionH.recordValue(now - s0);
        if (done.incrementAndGet() == n) { t[1] = now; all.tryComplete(); }
        else launch[0].run();
      });
    };
    ctx.runOnContext(v -> {
      t[0] = System.nanoTime();
      for (int k = 0; k < Math.min(window, n); k++) launch[0].run();
    });
    all.future().await();
    double secs = (t[1] - t[0]) / 1e9;
    result(new JsonObject().put("mode", "storm").put("tag", tag).put("proto", arg("proto", "noom")).put("n", n)
        .put("window", window).put("secs", Math.round(secs * 1000) / 1000.0).put("joinsPerSec", Math.round(n / secs))
        .put("join", summary(joinH)).put("connectHelloJoin", summary(sessionH)));
    clients.forEach(Client::close);
    Thread.sleep(1000);
  }

  // ---- call setup burst

  void setup() throws Exception {
    int pairs = argInt("pairs", 1000);
    int candidates = argInt("candidates", 10);
    String sdp = Proto.pad(argInt("sdpBytes", 3000) - 40);
    String cand = Proto.pad(argInt("candBytes", 250) - 60);
    Histogram h = histogram();
    Promise<Void> all = Promise.promise();
    AtomicInteger done = new AtomicInteger();
    long[] last = new long[1];
    Client.Listener l = new Client.Listener() {
      public void onTimed(Client c, String text, long now) {}

      public void onSignal(Client c, String text) {
        if (text.contains("\"kind\":\"offer\"")) { // c is the earlier member: answer, then its candidates
          c.signal(c.partner.sessionId, "answer", "{\"type\":\"answer\",\"sdp\":\"" + sdp + "\"}");
          for (int k = 0; k < candidates; k++) {
            c.signal(c.partner.sessionId, "candidate", "{\"candidate\":\"" + cand + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
          }
        }
        c.got++;
        Client a = c.index % 2 == 0 ? c : c.partner;
        if (!a.done && a.got == candidates + 1 && a.partner.got == candidates + 1) {
          a.done = true;
          long now = System.nanoTime();
          h.recordValue(now - a.t0);
          last[0] = now;
          if (done.incrementAndGet() == pairs) all.tryComplete();
        }
      }
    };
    create(pairs * 2, 2, l);
    for (int p = 0; p < pairs; p++) {
      clients.get(2 * p).partner = clients.get(2 * p + 1);
      clients.get(2 * p + 1).partner = clients.get(2 * p);
    }
    onLoop(() -> openAll(clients, 500));
    Thread.sleep(500);
    long[] t0 = new long[1];
    ctx.runOnContext(v -> {
      t0[0] = System.nanoTime();
      for (int p = 0; p < pairs; p++) {
        Client a = clients.get(2 * p);
        Client b = a.partner;
        String room = tag + "-c" + p;
        a.t0 = System.nanoTime();
        a.join(room).compose(x -> b.join(room)).onComplete(ar -> {
          if (ar.failed()) { all.tryFail(ar.cause()); return; }
          b.signal(a.sessionId, "offer", "{\"type\":\"offer\",\"sdp\":\"" + sdp + "\"}");
          for (int k = 0; k < candidates; k++) {
            b.signal(a.sessionId, "candidate", "{\"candidate\":\"" + cand + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
          }
        });
      }
    });
    all.future().await();
    double secs = (last[0] - t0[0]) / 1e9;
    result(new JsonObject().put("mode", "setup").put("tag", tag).put("proto", arg("proto", "noom")).put("pairs", pairs)
        .put("candidates", candidates).put("burstSecs", Math.round(secs * 1000) / 1000.0)
        .put("setupsPerSec", Math.round(pairs / secs)).put("perPair", summary(h)));
    clients.forEach(Client::close);
    Thread.sleep(1000);
  }
}
