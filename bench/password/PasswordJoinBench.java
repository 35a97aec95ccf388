import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/**
 * Issue 12 item 7a: a legitimate password join's latency while another address floods the node with new password
 * rooms, and the node's CPU meanwhile. Plain JDK, single file (java PasswordJoinBench.java port pid [attackers] [secs]).
 * Clients bind distinct loopback addresses: the host 127.0.0.2, the legitimate joiner 127.0.0.3, the attacker 127.0.0.4.
 * The attacker's sessions each loop: join a new password room, leave it, at the per-session join rate (2/s).
 */
public class PasswordJoinBench {
  static int port;

  public static void main(String[] args) throws Exception {
    port = Integer.parseInt(args[0]);
    long pid = Long.parseLong(args[1]);
    int attackers = args.length > 2 ? Integer.parseInt(args[2]) : 45;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    String office = "office-" + System.nanoTime();
    Ws host = Ws.open("127.0.0.2");
    expect(host.request("{\"type\":\"join\",\"id\":2,\"room\":\"" + office + "\",\"password\":\"correct horse\"}"), "joined");
    for (int i = 0; i < 5; i++) legitJoin(office); // warm-up: the JIT compiles the hash
    List<Long> quiet = new ArrayList<>();
    for (int i = 0; i < 7; i++) quiet.add(legitJoin(office));

    AtomicBoolean stop = new AtomicBoolean();
    Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (int a = 0; a < attackers; a++) {
      int index = a;
      Thread t = new Thread(() -> attack(index, stop, answers));
      t.start();
      threads.add(t);
    }
    Thread.sleep(2_000); // the flood is under way
    long cpu0 = cpuTicks(pid), t0 = System.nanoTime();
    List<Long> flooded = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      flooded.add(legitJoin(office));
      Thread.sleep(500);
    }
    double cores = (cpuTicks(pid) - cpu0) / 100.0 / ((System.nanoTime() - t0) / 1e9);
    stop.set(true);
    for (Thread t : threads) t.join(30_000);
    System.out.printf("password join: quiet median %d ms %s; during the flood median %d ms, max %d ms (%d joins);"
        + " node CPU %.2f cores; attacker answers %s%n", median(quiet), quiet, median(flooded),
        Collections.max(flooded), flooded.size(), cores, new TreeMap<>(answers));
    System.out.printf("RESULT {\"wl\":\"password-join\",\"attackers\":%d,\"quietMedianMs\":%d,\"floodMedianMs\":%d,"
        + "\"floodMaxMs\":%d,\"nodeCores\":%.2f}%n", attackers, median(quiet), median(flooded), Collections.max(flooded),
        cores);
    System.exit(0);
  }

  static long legitJoin(String office) throws IOException {
    try (Ws ws = Ws.open("127.0.0.3")) {
      long t0 = System.nanoTime();
      String answer = ws.request("{\"type\":\"join\",\"id\":2,\"room\":\"" + office + "\",\"password\":\"correct horse\"}");
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      expect(answer, "joined");
      return ms;
    }
  }

  static void attack(int index, AtomicBoolean stop, Map<String, AtomicLong> answers) {
    try (Ws ws = Ws.open("127.0.0.4")) {
      for (int n = 0; !stop.get(); n++) {
        String room = "flood-" + index + "-" + n + "-" + System.nanoTime();
        String answer = ws.request("{\"type\":\"join\",\"id\":" + (10 + 2 * n) + ",\"room\":\"" + room
            + "\",\"password\":\"pw\"}");
        String kind = answer.contains("\"type\":\"joined\"") ? "joined"
            : answer.replaceAll(".*\"code\":\"([a-z_]+)\".*", "$1");
        answers.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        if (kind.equals("joined")) ws.request("{\"type\":\"leave\",\"id\":" + (11 + 2 * n) + ",\"room\":\"" + room + "\"}");
        Thread.sleep(500); // the per-session join rate: 2/s
      }
    } catch (Exception e) {
      if (!stop.get()) answers.computeIfAbsent("exception " + e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
    }
  }

  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, in clock ticks (100/s)
  }

  static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  static void expect(String answer, String type) {
    if (!answer.contains("\"type\":\"" + type + "\"")) throw new IllegalStateException("expected " + type + ": " + answer);
  }

  /** A minimal blocking WebSocket client (text frames, masked, no fragmentation), from a chosen local address. */
  static final class Ws implements Closeable {
    final Socket socket = new Socket();
    final DataInputStream in;
    final OutputStream out;

    static Ws open(String from) throws IOException {
      Ws ws = new Ws(from);
      expect(ws.request("{\"type\":\"hello\",\"id\":1,\"version\":1,\"nickname\":\"bench\"}"), "welcome");
      return ws;
    }

    Ws(String from) throws IOException {
      socket.bind(new InetSocketAddress(from, 0));
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(120_000);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      out = socket.getOutputStream();
      out.write(("GET /signal HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.readUnsignedByte());
      if (!head.toString().startsWith("HTTP/1.1 101")) throw new IOException("not upgraded: " + head);
    }

    /** Sends a request (its id is the first "id" in it) and returns the answer that carries the same id. */
    String request(String json) throws IOException {
      String id = json.replaceAll(".*?\"id\":([0-9]+).*", "$1");
      send(json);
      while (true) {
        String text = read();
        if (text.contains("\"re\":" + id + ",") || text.contains("\"re\":" + id + "}")) return text;
      }
    }

    void send(String text) throws IOException {
      byte[] p = text.getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream f = new ByteArrayOutputStream();
      f.write(0x81);
      if (p.length < 126) f.write(0x80 | p.length);
      else { f.write(0x80 | 126); f.write(p.length >> 8); f.write(p.length & 0xff); }
      f.write(new byte[4]); // a zero mask: the payload goes as is
      f.write(p);
      out.write(f.toByteArray());
      out.flush();
    }

    String read() throws IOException {
      while (true) {
        int b0 = in.readUnsignedByte(), b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) len = in.readUnsignedShort();
        else if (len == 127) len = in.readLong();
        byte[] p = new byte[(int) len];
        in.readFully(p);
        if ((b0 & 0x0f) == 1) return new String(p, StandardCharsets.UTF_8);
        if ((b0 & 0x0f) == 8) throw new EOFException("closed");
      }
    }

    @Override
    public void close() {
      try { socket.close(); } catch (IOException ignored) { }
    }
  }
}
