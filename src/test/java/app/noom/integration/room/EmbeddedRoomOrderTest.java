package app.noom.integration.room;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * I4 on the embedded node with several event loops: members whose sessions live on different loops chat into one room
 * at once, from one thread each, in seeded random bursts; every member's transcript of the room's chats must be the
 * same sequence (one order per room), hold each chat exactly once and keep each sender's chats in the order sent.
 * Some senders share the thread of the relay's ordering context and deliver at once, the others hop to it: the order
 * must not depend on which.
 */
class EmbeddedRoomOrderTest {
    private static final int MEMBERS = 6; // the default room size limit
    private NoomNode node;
    private Vertx vertx;
    private final List<ProtocolClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        node = NoomNode.start(Map.of("HTTP_INSTANCES", "4", "RATE_CHAT_PER_SECOND", "0"));
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(ProtocolClient::close);
        vertx.close().await(10, TimeUnit.SECONDS);
        node.close();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void everyMemberSeesTheRoomsChatsInOneOrder(long seed) throws Exception {
        Random random = new Random(seed);
        String room = "order-" + seed + "-" + System.nanoTime();
        int[] chats = new int[MEMBERS];
        int total = 0;
        for (int i = 0; i < MEMBERS; i++) {
            ProtocolClient client = Transport.WEBSOCKET.connect(vertx, node.port());
            clients.add(client);
            client.hello("m" + i);
            client.join(room);
            chats[i] = 20 + random.nextInt(41);
            total += chats[i];
        }
        long[] burstSeeds = random.longs(MEMBERS).toArray();
        ExecutorService senders = Executors.newFixedThreadPool(MEMBERS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                int member = i;
                sent.add(senders.submit(
                        () -> sendInBursts(member, room, chats[member], new Random(burstSeeds[member]))));
            }
            for (Future<?> f : sent) f.get(30, TimeUnit.SECONDS);
        } finally {
            senders.shutdownNow();
        }
        List<List<String>> transcripts = new ArrayList<>();
        for (ProtocolClient client : clients) transcripts.add(chatsSeen(client, room, total));
        for (int i = 1; i < MEMBERS; i++) {
            assertEquals(transcripts.get(0), transcripts.get(i), "member " + i + " saw another order than member 0");
        }
        assertSenderOrder(transcripts.get(0), chats);
    }

    /** Chats without waiting for answers, in bursts of 1–8 with a yield between: threads interleave at random. */
    private void sendInBursts(int member, String room, int count, Random random) {
        ProtocolClient client = clients.get(member);
        int n = 0;
        while (n < count) {
            int burst = Math.min(count - n, 1 + random.nextInt(8));
            for (int b = 0; b < burst; b++, n++) {
                client.send(
                        new JsonObject().put("type", "chat").put("room", room).put("text", member + ":" + n));
            }
            Thread.yield();
        }
    }

    private static List<String> chatsSeen(ProtocolClient client, String room, int total) {
        List<String> texts = new ArrayList<>();
        while (texts.size() < total) {
            JsonObject chat = client.next(m -> "chat".equals(m.getString("type")) && room.equals(m.getString("room")));
            texts.add(chat.getString("text"));
        }
        return texts;
    }

    private static void assertSenderOrder(List<String> transcript, int[] chats) {
        int[] next = new int[chats.length];
        for (String text : transcript) {
            int member = Integer.parseInt(text.substring(0, text.indexOf(':')));
            int n = Integer.parseInt(text.substring(text.indexOf(':') + 1));
            assertEquals(next[member], n, "member " + member + "'s chats out of order or repeated: " + transcript);
            next[member]++;
        }
        assertArrayEquals(chats, next, "every chat once");
    }
}
