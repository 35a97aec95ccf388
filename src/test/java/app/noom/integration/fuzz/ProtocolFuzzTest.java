package app.noom.integration.fuzz;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.config.NoomConfig;
import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RawWebSocket;
import app.noom.integration.support.WebSocketTestClient;
import app.noom.protocol.ClientMessage;
import app.noom.protocol.MessageParser;
import app.noom.protocol.ProtocolException;
import app.noom.session.SessionServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Throws a million generated frames (see {@link FrameMutator}) at a live node over WebSocket, pipelined on a few
 * connections, each connection having said hello and joined the bystander's room.
 *
 * <p>What is checked, and why it is sound:
 * <ul>
 *   <li><b>Every frame is answered exactly once.</b> Each frame carries a numeric id unique on its connection before
 *       mutation. The node's own parser (same class, same limits) tells which id the node will read from the mutated
 *       frame, if any. Answers whose {@code re} is one of our ids are counted per frame; answers without a readable
 *       id are counted together. At the end, for every frame: answers == frames that carry its id, and the anonymous
 *       answers == frames without a readable id. A frame with no answer, or two, fails. (A valid request without an
 *       id whose answer would be a bare {@code ack} is not sent: it is rightly answered with nothing if it succeeds.)
 *   <li><b>The answer is the right one.</b> A frame the parser refuses must get an {@code error} with the same code;
 *       a frame it accepts gets its documented reply type, or an error whose code is documented in PROTOCOL.md and is
 *       not a parse-level one. Every error code seen must be in PROTOCOL.md's table.
 *   <li><b>No stray message reaches the bystander</b>, who is in the fuzzers' room (and its host). Fuzzers never leave
 *       that room (a frame that would validly leave it, or say bye, is not sent). So the bystander must receive exactly:
 *       one {@code chat} per chat a fuzzer got {@code ack}ed in that room, one {@code signal} per acked signal to it, one
 *       {@code member-updated} per acked {@code media} in that room or acked {@code nickname} — each stamped with the
 *       fuzzer's id — and nothing else: no error, no reply it did not ask for, no other type, consecutive {@code seq}.
 *   <li><b>The node never dies</b>: {@code /health} 200 at the end, the bystander's pings answered throughout
 *       (worst round trip printed), and a fresh client can still hello, join and chat.
 * </ul>
 * Frames that legitimately close the connection are thrown separately, on their own connections: above the 256 KiB
 * transport ceiling (1009), invalid UTF-8 in a text frame (1007), and {@code bye} (ack, then 1000).
 */
@ExtendWith(VertxExtension.class)
class ProtocolFuzzTest {
    private static final int CONNECTIONS = 4;
    private static final int FRAMES = Integer.getInteger("noom.fuzz.frames", 1_000_000);
    private static final long SEED = Long.getLong("noom.fuzz.seed", 20_261_125L);
    private static final int WINDOW = 256;
    private static final long BASE_ID = 7_000_000_000L;
    private static final Set<String> ACK_ANSWERED = Set.of(
            "valid:nickname",
            "valid:rooms-unsubscribe",
            "valid:lock",
            "valid:kick",
            "valid:host",
            "valid:leave",
            "valid:media",
            "valid:signal",
            "valid:chat");
    private static final Set<String> ANSWER_TYPES = Set.of("welcome", "ack", "pong", "rooms", "joined", "error");
    /** Codes only the parser gives: a frame it accepted can never earn one of these. */
    private static final Set<String> PARSE_CODES = Set.of(
            "malformed_json",
            "frame_too_large",
            "binary_not_supported",
            "unknown_type",
            "invalid_message",
            "unsupported_version",
            "bad_nickname",
            "bad_room_name",
            "bad_signal",
            "chat_too_long");

    // what a fuzzer's accepted frame may do to the bystander
    private static final byte KIND_OTHER = 0;
    private static final byte KIND_CHAT = 1;
    private static final byte KIND_SIGNAL = 2;
    private static final byte KIND_UPDATE = 3;

    @Test
    void aMillionMutatedFramesGetTypedAnswersAndDisturbNobody(Vertx vertx) throws Exception {
        Set<String> documentedCodes = documentedErrorCodes();
        Set<String> documentedTypes = documentedMessageTypes();
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort(); // a fixed port, so that the node runs one HTTP verticle per core (PORT=0
            // runs one)
        }
        try (NoomNode node = NoomNode.start(Map.of("PORT", String.valueOf(port), "HTTP_INSTANCES", "2"))) {
            String room = "fuzz-" + System.nanoTime();
            WebSocketTestClient bystander = WebSocketTestClient.connect(vertx, node.port());
            bystander.hello("Bystander");
            bystander.join(room); // first in: the bystander is the room's host, the fuzzers are not

            List<Fuzzer> fuzzers = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                fuzzers.add(new Fuzzer(c, node.port(), room, bystander.sessionId, FRAMES / CONNECTIONS, SEED + c));
            }
            long started = System.nanoTime();
            fuzzers.forEach(Fuzzer::start);
            long worstPingMillis = 0;
            int pings = 0;
            while (fuzzers.stream().anyMatch(Fuzzer::running)) {
                long t0 = System.nanoTime();
                assertEquals(
                        "pong", bystander.request(msg("ping")).getString("type"), "bystander ping during the fuzz");
                worstPingMillis = Math.max(worstPingMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                pings++;
                for (Fuzzer f : fuzzers) f.join(1_000 / CONNECTIONS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            for (Fuzzer f : fuzzers) f.rethrow();
            for (Fuzzer f : fuzzers) f.awaitQuiet();

            // ---- totals, printed ----
            long sent = fuzzers.stream().mapToLong(f -> f.sent).sum();
            long skipped = fuzzers.stream().mapToLong(f -> f.skipped).sum();
            Map<String, Long> answers = new TreeMap<>();
            Map<String, Long> pushes = new TreeMap<>();
            Map<String, Long> oracle = new TreeMap<>();
            for (Fuzzer f : fuzzers) {
                f.answerTally.forEach((k, v) -> answers.merge(k, v.get(), Long::sum));
                f.pushTally.forEach((k, v) -> pushes.merge(k, v.get(), Long::sum));
                f.oracleTally.forEach((k, v) -> oracle.merge(k, v, Long::sum));
            }
            System.out.printf(
                    "fuzz: seed %d, %d frames sent on %d connections in %.1f s (%.0f frames/s); %d more generated"
                            + " but not sent (bye, leaving the bystander's room, reaching it under a foreign id, or an id-less"
                            + " request answered by a bare ack)%n",
                    SEED, sent, CONNECTIONS, seconds, sent / seconds, skipped);
            System.out.println("fuzz: the parser's verdict on the frames sent: " + oracle);
            System.out.println("fuzz: answers by type/code: " + answers);
            System.out.println("fuzz: pushes the fuzzers received: " + pushes);
            System.out.printf(
                    "fuzz: bystander: %d pings, worst round trip %d ms, %d messages received%n",
                    pings, worstPingMillis, bystander.seen().size());

            assertTrue(sent >= FRAMES, "sent " + sent + " of " + FRAMES);
            // ---- exactly one answer per frame, the right one ----
            List<String> problems = new ArrayList<>();
            for (Fuzzer f : fuzzers) f.verify(problems);
            for (String code : answers.keySet().stream()
                    .filter(k -> k.startsWith("error:"))
                    .map(k -> k.substring(6))
                    .toList()) {
                if (!documentedCodes.contains(code))
                    problems.add("error code '" + code + "' is not documented in PROTOCOL.md");
            }
            for (String type : pushes.keySet()) {
                if (!documentedTypes.contains(type))
                    problems.add("push type '" + type + "' is not documented in PROTOCOL.md");
            }
            assertTrue(
                    problems.isEmpty(),
                    () -> problems.size() + " problems, first: " + problems.subList(0, Math.min(20, problems.size())));

            // ---- the bystander saw exactly what the fuzzers were acked for, stamped with their ids ----
            Map<String, Fuzzer> byId = fuzzers.stream().collect(Collectors.toMap(f -> f.sessionId, f -> f));
            awaitBystanderTotals(bystander, fuzzers);
            List<String> strays = new ArrayList<>();
            long lastSeq = -1;
            for (JsonObject m : bystander.seen()) {
                long seq = m.getLong("seq");
                if (lastSeq >= 0 && seq != lastSeq + 1) strays.add("seq jumped " + lastSeq + " → " + seq);
                lastSeq = seq;
                String type = m.getString("type");
                if (ANSWER_TYPES.contains(type)) {
                    if (!"pong".equals(type) && !"welcome".equals(type) && !"joined".equals(type))
                        strays.add("unasked " + m);
                    continue;
                }
                if (!room.equals(m.getString("room"))) strays.add("other room: " + m);
                switch (type) {
                    case "chat" -> {
                        String text = m.getString("text");
                        if (!byId.containsKey(m.getString("from"))
                                || text == null
                                || text.isBlank()
                                || text.length() > 2_000) {
                            strays.add(m.encode());
                        }
                    }
                    case "signal" -> {
                        if (!byId.containsKey(m.getString("from"))
                                || !(m.getValue("payload") instanceof JsonObject)
                                || !Set.of("offer", "answer", "candidate", "renegotiate")
                                        .contains(m.getString("kind"))) {
                            strays.add(m.encode());
                        }
                    }
                    case "member-updated" -> {
                        JsonObject member = m.getJsonObject("member");
                        if (member == null || !byId.containsKey(member.getString("id"))) strays.add(m.encode());
                    }
                    case "member-joined" -> { // only the fuzzers' own joins, before the fuzz started
                        JsonObject member = m.getJsonObject("member");
                        if (member == null
                                || !byId.containsKey(member.getString("id"))
                                || m.getLong("seq") > CONNECTIONS + 2) {
                            strays.add(m.encode());
                        }
                    }
                    default -> strays.add("unexpected type: " + m);
                }
            }
            for (Fuzzer f : fuzzers) {
                long chats = countFrom(bystander, "chat", f.sessionId);
                long signals = countFrom(bystander, "signal", f.sessionId);
                long updates = countFrom(bystander, "member-updated", f.sessionId);
                System.out.printf(
                        "fuzz: fuzzer %d: acked chat/signal/update for the bystander %d/%d/%d, it received %d/%d/%d%n",
                        f.index,
                        f.acked[KIND_CHAT],
                        f.acked[KIND_SIGNAL],
                        f.acked[KIND_UPDATE],
                        chats,
                        signals,
                        updates);
                if (chats != f.acked[KIND_CHAT] || signals != f.acked[KIND_SIGNAL] || updates != f.acked[KIND_UPDATE]) {
                    strays.add("fuzzer " + f.index + ": bystander got " + chats + "/" + signals + "/" + updates
                            + " chat/signal/update, acked " + f.acked[KIND_CHAT] + "/" + f.acked[KIND_SIGNAL] + "/"
                            + f.acked[KIND_UPDATE]);
                }
            }
            assertTrue(
                    strays.isEmpty(),
                    () -> strays.size() + " stray messages at the bystander, first: "
                            + strays.subList(0, Math.min(20, strays.size())));

            // ---- frames that legitimately end a connection, each on its own ----
            closingFrames(node.port(), room);

            // ---- the node is alive and well ----
            assertEquals(
                    200,
                    HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .build()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode());
            assertEquals("pong", bystander.request(msg("ping")).getString("type"));
            ProtocolClient fresh = WebSocketTestClient.connect(vertx, node.port());
            fresh.hello("Fresh");
            fresh.join(room);
            assertEquals(
                    "ack",
                    fresh.request(msg("chat").put("room", room).put("text", "after the storm"))
                            .getString("type"));
            assertEquals(
                    "after the storm",
                    bystander
                            .next(m ->
                                    "chat".equals(m.getString("type")) && fresh.sessionId.equals(m.getString("from")))
                            .getString("text"));
            for (Fuzzer f : fuzzers) f.close();
            fresh.close();
            bystander.close();
        }
    }

    private static long countFrom(ProtocolClient client, String type, String from) {
        return client.seen().stream()
                .filter(m -> type.equals(m.getString("type"))
                        && (from.equals(m.getString("from"))
                                || m.getJsonObject("member") != null
                                        && from.equals(m.getJsonObject("member").getString("id"))))
                .count();
    }

    /** Relayed messages may trail the acks by a moment: wait until the bystander's totals add up (or time out). */
    private static void awaitBystanderTotals(ProtocolClient bystander, List<Fuzzer> fuzzers)
            throws InterruptedException {
        long expected = fuzzers.stream()
                .mapToLong(f -> f.acked[KIND_CHAT] + f.acked[KIND_SIGNAL] + f.acked[KIND_UPDATE])
                .sum();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            long got = bystander.seen().stream()
                    .filter(m -> Set.of("chat", "signal", "member-updated").contains(m.getString("type")))
                    .count();
            if (got >= expected) break;
            Thread.sleep(50);
        }
        bystander.request(msg("ping"));
        Thread.sleep(200); // anything extra would show up now
    }

    /** Frames above the transport ceiling, invalid UTF-8, and bye: each closes its connection, and nothing else. */
    private static void closingFrames(int port, String room) throws IOException {
        byte[] oversize =
                ("{\"type\":\"ping\",\"pad\":\"" + "p".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] badUtf8 = "{\"type\":\"chat\",\"room\":\"x\",\"text\":\"\u0000\"}".getBytes(StandardCharsets.UTF_8);
        badUtf8[badUtf8.length - 4] = (byte) 0xC3; // a lead byte followed by '"': not UTF-8
        badUtf8[badUtf8.length - 3] = (byte) 0x28;
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int round = 0; round < 5; round++) {
            outcomes.merge("oversize:" + closeAfter(port, oversize, RawWebSocket.OP_TEXT), 1, Integer::sum);
            outcomes.merge("invalid-utf8:" + closeAfter(port, badUtf8, RawWebSocket.OP_TEXT), 1, Integer::sum);
            outcomes.merge(
                    "bye:"
                            + closeAfter(
                                    port,
                                    "{\"type\":\"bye\",\"id\":9}".getBytes(StandardCharsets.UTF_8),
                                    RawWebSocket.OP_TEXT),
                    1,
                    Integer::sum);
        }
        System.out.println("fuzz: connection-ending frames → outcomes: " + outcomes);
        for (String outcome : outcomes.keySet()) {
            assertTrue(
                    Set.of(
                                    "oversize:close 1009",
                                    "oversize:cut while sending, close 1009",
                                    "oversize:cut while sending, eof",
                                    "invalid-utf8:close 1007",
                                    "bye:ack, close 1000")
                            .contains(outcome),
                    "unexpected outcome " + outcome);
        }
    }

    private static String closeAfter(int port, byte[] payload, int opcode) throws IOException {
        try (RawWebSocket ws = RawWebSocket.connect(port)) {
            ws.sendText("{\"type\":\"hello\",\"id\":1,\"version\":1,\"nickname\":\"Closer\"}");
            assertEquals("welcome", new JsonObject(ws.readText()).getString("type"));
            StringBuilder outcome = new StringBuilder();
            try {
                ws.sendFrame(opcode, payload, true);
            } catch (
                    SocketException
                            e) { // the node closed while we were still writing (1009 comes early): read what it said
                outcome.append("cut while sending");
            }
            try {
                while (true) {
                    RawWebSocket.Frame f = ws.readFrame();
                    if (f.opcode() == RawWebSocket.OP_CLOSE)
                        return outcome.append(outcome.length() > 0 ? ", " : "")
                                .append("close ")
                                .append(f.closeCode())
                                .toString();
                    if (f.opcode() == RawWebSocket.OP_TEXT) {
                        JsonObject m = new JsonObject(f.text());
                        outcome.append(outcome.length() > 0 ? ", " : "")
                                .append(m.getString("type"))
                                .append("error".equals(m.getString("type")) ? " " + m.getString("code") : "");
                        if ("error".equals(m.getString("type")))
                            return outcome.toString(); // answered, connection stays
                    }
                }
            } catch (EOFException | SocketException e) {
                return outcome.append(outcome.length() > 0 ? ", " : "")
                        .append("eof")
                        .toString();
            }
        }
    }

    // ---- one fuzzing connection: a writer thread, a reader thread, bounded pipelining ----

    private static final class Fuzzer {
        final int index;
        final String sessionId;
        final int frames; // to send
        final int capacity; // ids that may be generated
        final RawWebSocket ws;
        final FrameMutator mutator;
        final MessageParser oracle =
                SessionServices.parserFor(NoomConfig.fromEnv(Map.of()).limits());
        final String room;
        final String bystanderId;
        final Semaphore window = new Semaphore(WINDOW);
        // per frame index (id - BASE_ID): expectations, written by the writer
        final byte[] expectedCount;
        final String[] expectedAnswer; // "error:<code>" from the parser, or "valid:<type>"
        final byte[] kind;
        long anonymousExpected;
        long ambiguousEffects; // ids shared by two frames of which one reaches the bystander: expected to stay 0
        long sent;
        long skipped;
        final Map<String, Long> oracleTally = new TreeMap<>();
        // per frame index: what came back, written by the reader
        final byte[] answerCount;
        final String[] answerTag;
        final AtomicLong anonymousAnswers = new AtomicLong();
        final AtomicLong answersTotal = new AtomicLong();
        final Map<String, AtomicLong> answerTally = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> pushTally = new ConcurrentHashMap<>();
        final List<String> readerProblems = Collections.synchronizedList(new ArrayList<>());
        final long[] acked = new long[4];
        volatile Throwable failure;
        volatile Integer closedWith;
        private Thread writer;
        private Thread reader;
        private long lastSeq;

        Fuzzer(int index, int port, String room, String bystanderId, int frames, long seed) throws IOException {
            this.index = index;
            this.frames = frames;
            this.room = room;
            this.bystanderId = bystanderId;
            this.capacity = frames + frames / 5; // some generated frames are not sent (see expect): generate until sent
            this.expectedCount = new byte[capacity];
            this.expectedAnswer = new String[capacity];
            this.kind = new byte[capacity];
            this.answerCount = new byte[capacity];
            this.answerTag = new String[capacity];
            this.mutator = new FrameMutator(seed, room, bystanderId);
            this.ws = RawWebSocket.connect(port);
            ws.sendText("{\"type\":\"hello\",\"id\":\"h\",\"version\":1,\"nickname\":\"Fuzzer" + index + "\"}");
            JsonObject welcome = new JsonObject(ws.readText());
            this.sessionId = welcome.getString("sessionId");
            lastSeq = welcome.getLong("seq");
            ws.sendText(JsonObject.of("type", "join", "id", "j", "room", room).encode());
            JsonObject joined;
            do {
                joined = new JsonObject(ws.readText());
                lastSeq = joined.getLong("seq");
            } while (!"joined".equals(joined.getString("type")));
            assertEquals("joined", joined.getString("type"), joined::encode);
        }

        void start() {
            // deep stacks: mutated frames nest deeply, and with jackson-databind on the test classpath (the manifest
            // tests)
            // Vert.x encodes them with the recursive databind codec
            writer = new Thread(null, this::write, "fuzz-writer-" + index, 64L << 20);
            reader = new Thread(null, this::read, "fuzz-reader-" + index, 64L << 20);
            reader.start();
            writer.start();
        }

        boolean running() {
            return writer.isAlive() && failure == null;
        }

        void join(long millis) throws InterruptedException {
            writer.join(Math.max(1, millis));
        }

        void rethrow() {
            if (failure != null) throw new AssertionError("fuzzer " + index + " failed", failure);
        }

        private void write() {
            try {
                for (int i = 0; sent < frames; i++) {
                    if (i == capacity) throw new AssertionError("too many generated frames skipped: " + skipped);
                    String frame = mutator.next(idOf(i));
                    boolean binary =
                            i % 997 == 0; // now and then the same bytes as a binary frame: refused without an id
                    if (binary) {
                        anonymousExpected++;
                        oracleTally.merge("binary", 1L, Long::sum);
                    } else if (!expect(i, frame)) {
                        skipped++;
                        continue;
                    }
                    if (!window.tryAcquire()) {
                        ws.flush();
                        if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
                            throw new AssertionError("no answer for 60 s with " + WINDOW
                                    + " frames outstanding (closed with " + closedWith + ")");
                        }
                    }
                    ws.sendFrame(
                            binary ? RawWebSocket.OP_BINARY : RawWebSocket.OP_TEXT,
                            frame.getBytes(StandardCharsets.UTF_8),
                            false);
                    sent++;
                    if ((sent & 31) == 0) ws.flush();
                }
                ws.flush();
            } catch (Throwable e) {
                failure = e;
            }
        }

        /**
         * Records what the node will make of {@code frame} (its own parser says), under the id the node will read from it;
         * false for frames not to send: bye and leaving the bystander's room, and frames that would reach the bystander
         * but carry an id other than their own (their ack could not be told apart).
         */
        private boolean expect(int i, String frame) {
            Object requestId;
            String expectation;
            byte effect = KIND_OTHER;
            String verdict;
            try {
                ClientMessage m = oracle.parse(frame);
                if (m instanceof ClientMessage.Bye
                        || m instanceof ClientMessage.Leave leave
                                && leave.room().equals(room)) {
                    return false; // would end the connection / take the fuzzer out of the bystander's room
                }
                requestId = m.id();
                expectation = "valid:" + m.type().wire();
                effect = m instanceof ClientMessage.Chat c && c.room().equals(room)
                        ? KIND_CHAT
                        : m instanceof ClientMessage.Signal s && s.room().equals(room) && s.to().equals(bystanderId)
                                ? KIND_SIGNAL
                                : m instanceof ClientMessage.Media md
                                                && md.room().equals(room)
                                        ? KIND_UPDATE
                                        : m instanceof ClientMessage.NicknameChange ? KIND_UPDATE : KIND_OTHER;
                verdict = "valid";
            } catch (ProtocolException e) {
                requestId = e.requestId();
                expectation = "error:" + e.code().wire();
                verdict = expectation;
            } catch (RuntimeException | StackOverflowError e) { // the node's parser itself breaks on this frame
                requestId = null;
                expectation = "crash:" + e;
                verdict = "parser-crash";
            }
            int target = indexOf(requestId);
            if (effect != KIND_OTHER && target != i) return false;
            // without an id, a request whose answer would be a bare ack gets nothing when it succeeds, and its error
            // when
            // it fails: 0 or 1 answers, which the oracle cannot predict (it does not know the room), so it is not sent
            if (target < 0 && verdict.equals("valid") && ACK_ANSWERED.contains(expectation)) return false;
            oracleTally.merge(verdict, 1L, Long::sum);
            if (target < 0) {
                anonymousExpected++;
            } else if (++expectedCount[target] == 1) {
                expectedAnswer[target] = expectation;
                kind[target] = effect;
            } else { // two frames carry this id: only their number of answers can be checked
                if (kind[target] != KIND_OTHER || effect != KIND_OTHER) ambiguousEffects++;
                expectedAnswer[target] = null;
            }
            return true;
        }

        /**
         * Ids are sparse: frame i carries BASE + 4099·i. 4099 is prime, so changing one decimal digit (d·10^k, |d| ≤ 9)
         * never turns one frame's id into another's; only rarer multi-digit damage can, and is then handled as shared.
         */
        private static long idOf(int i) {
            return BASE_ID + 4_099L * i;
        }

        private int indexOf(Object requestId) {
            if (!(requestId instanceof Long id) || id < BASE_ID || (id - BASE_ID) % 4_099 != 0) return -1;
            long i = (id - BASE_ID) / 4_099;
            return i < capacity ? (int) i : -1;
        }

        private void read() {
            try {
                while (true) {
                    RawWebSocket.Frame f = ws.readFrame();
                    if (f.opcode() == RawWebSocket.OP_CLOSE) {
                        closedWith = f.closeCode();
                        return;
                    }
                    if (f.opcode() != RawWebSocket.OP_TEXT) continue;
                    JsonObject m = new JsonObject(f.text());
                    long seq = m.getLong("seq");
                    if (seq != lastSeq + 1) readerProblems.add("fuzzer " + index + ": seq " + lastSeq + " → " + seq);
                    lastSeq = seq;
                    String type = m.getString("type");
                    if (!ANSWER_TYPES.contains(type)) {
                        pushTally.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
                        continue;
                    }
                    String tag = "error".equals(type) ? "error:" + m.getString("code") : type;
                    answerTally.computeIfAbsent(tag, t -> new AtomicLong()).incrementAndGet();
                    Object re = m.getValue("re");
                    int target = indexOf(
                            re instanceof Number n && !(re instanceof Double) ? Long.valueOf(n.longValue()) : null);
                    if (target >= 0) {
                        answerCount[target]++;
                        answerTag[target] = tag;
                    } else {
                        anonymousAnswers.incrementAndGet();
                    }
                    answersTotal.incrementAndGet();
                    window.release();
                }
            } catch (EOFException | SocketException e) {
                if (closedWith == null) closedWith = -1;
            } catch (Throwable e) {
                failure = e;
            }
        }

        /** After the last frame: wait until every frame has its answer (or a generous timeout), then a little longer. */
        void awaitQuiet() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (answersTotal.get() < sent && System.nanoTime() < deadline && closedWith == null) Thread.sleep(20);
            Thread.sleep(300); // a duplicate answer would arrive now
        }

        void verify(List<String> problems) throws InterruptedException {
            problems.addAll(readerProblems);
            if (ambiguousEffects > 0) problems.add("fuzzer " + index + ": " + ambiguousEffects + " ambiguous ids");
            if (closedWith != null)
                problems.add("fuzzer " + index + ": the node closed the connection (" + closedWith + ")");
            if (answersTotal.get() != sent) {
                problems.add("fuzzer " + index + ": " + sent + " frames sent, " + answersTotal.get() + " answers");
            }
            if (anonymousAnswers.get() != anonymousExpected) {
                problems.add("fuzzer " + index + ": " + anonymousExpected + " frames without a readable id, "
                        + anonymousAnswers.get() + " answers without one");
            }
            for (int i = 0; i < capacity; i++) {
                if (answerCount[i] != expectedCount[i]) {
                    problems.add(
                            "fuzzer " + index + ": id " + idOf(i) + " expected " + expectedCount[i] + " answers, got "
                                    + answerCount[i] + " (" + expectedAnswer[i] + " → " + answerTag[i] + ")");
                    continue;
                }
                if (expectedCount[i] != 1 || expectedAnswer[i] == null)
                    continue; // ids that several frames share: counts only
                String expected = expectedAnswer[i];
                String got = answerTag[i];
                if (expected.startsWith("error:") && !expected.equals(got)) {
                    problems.add("fuzzer " + index + ": frame " + i + " should get " + expected + ", got " + got);
                } else if (expected.startsWith("crash:")) {
                    problems.add("fuzzer " + index + ": the parser crashed on frame " + i + ": " + expected);
                } else if (expected.startsWith("valid:")) {
                    String type = expected.substring(6);
                    boolean ok = got.startsWith("error:")
                            ? !PARSE_CODES.contains(got.substring(6)) && !"error:hello_required".equals(got)
                            : got.equals(
                                    switch (type) {
                                        case "ping" -> "pong";
                                        case "join" -> "joined";
                                        case "rooms-subscribe" -> "rooms";
                                        case "hello" -> "error:already_hello";
                                        default -> "ack";
                                    });
                    if (!ok) problems.add("fuzzer " + index + ": valid " + type + " (frame " + i + ") answered " + got);
                    if ("ack".equals(got) && kind[i] != KIND_OTHER) acked[kind[i]]++;
                }
            }
        }

        void close() {
            ws.close();
        }
    }

    // ---- what PROTOCOL.md documents ----

    static Set<String> documentedErrorCodes() throws IOException {
        String doc = Files.readString(Path.of("docs/PROTOCOL.md"));
        String errors = doc.substring(doc.indexOf("## Errors"), doc.indexOf("\n## ", doc.indexOf("## Errors") + 5));
        Matcher m = Pattern.compile("^\\| `([a-z_]+)` \\|", Pattern.MULTILINE).matcher(errors);
        Set<String> codes = new java.util.HashSet<>();
        while (m.find()) codes.add(m.group(1));
        assertTrue(codes.contains("malformed_json") && codes.contains("rate_limited"), codes::toString);
        return codes;
    }

    static Set<String> documentedMessageTypes() throws IOException {
        Matcher m = Pattern.compile("\"type\":\"([a-z-]+)\"").matcher(Files.readString(Path.of("docs/PROTOCOL.md")));
        Set<String> types = new java.util.HashSet<>();
        while (m.find()) types.add(m.group(1));
        return types;
    }
}
