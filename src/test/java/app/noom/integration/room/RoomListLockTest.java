package app.noom.integration.room;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RedisServer;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The room list says which rooms are locked: {@code rooms} entries and {@code room-changed} pushes carry {@code locked},
 * and a lock or unlock is pushed to every subscriber — on one node, and across two nodes sharing Redis (the host on one,
 * the watchers on the other).
 */
@ExtendWith(VertxExtension.class)
class RoomListLockTest {
    private final List<ProtocolClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(ProtocolClient::close);
    }

    @Test
    void lockIsShownInTheListOnOneNode(Vertx vertx) throws Exception {
        try (NoomNode node = NoomNode.start(Map.of())) {
            lockAndUnlockAreListed(vertx, node, node);
        }
    }

    @Test
    void lockIsShownInTheListAcrossTwoNodesSharingRedis(Vertx vertx) throws Exception {
        try (RedisServer redis = RedisServer.start();
                NoomNode hostNode = NoomNode.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "lock-a"));
                NoomNode watcherNode = NoomNode.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "lock-b"))) {
            lockAndUnlockAreListed(vertx, hostNode, watcherNode);
        }
    }

    private void lockAndUnlockAreListed(Vertx vertx, NoomNode hostNode, NoomNode watcherNode) {
        String room = "locklist-" + System.nanoTime();
        ProtocolClient watcher = client(vertx, watcherNode, "Watcher");
        watcher.request(msg("rooms-subscribe"));
        ProtocolClient ada = client(vertx, hostNode, "Ada");
        ada.join(room);
        awaitListed(watcher, room, 1, false);

        ada.request(msg("lock").put("room", room).put("locked", true));
        awaitListed(watcher, room, 1, true);
        JsonObject entry = snapshotEntry(client(vertx, watcherNode, "Latecomer"), room);
        assertEquals(1, entry.getInteger("count"), entry.encode());
        assertEquals(true, entry.getBoolean("locked"), "a new subscriber sees the lock: " + entry.encode());

        ada.request(msg("lock").put("room", room).put("locked", false));
        awaitListed(watcher, room, 1, false);
        ProtocolClient grace = client(vertx, watcherNode, "Grace");
        assertEquals("joined", grace.join(room).getString("type"));
        awaitListed(watcher, room, 2, false);
        assertEquals(
                false, snapshotEntry(client(vertx, hostNode, "Another"), room).getBoolean("locked"));
    }

    /** Waits for the push announcing this state, then drops every earlier push for the room. */
    private static void awaitListed(ProtocolClient watcher, String room, int count, boolean locked) {
        watcher.next(m -> "room-changed".equals(m.getString("type"))
                && room.equals(m.getString("room"))
                && m.getInteger("count") == count
                && m.getBoolean("locked") == locked);
        watcher.discard(m -> "room-changed".equals(m.getString("type")) && room.equals(m.getString("room")));
    }

    private static JsonObject snapshotEntry(ProtocolClient subscriber, String room) {
        JsonObject rooms = subscriber.request(msg("rooms-subscribe"));
        for (int i = 0; i < rooms.getJsonArray("rooms").size(); i++) {
            JsonObject entry = rooms.getJsonArray("rooms").getJsonObject(i);
            if (room.equals(entry.getString("name"))) return entry;
        }
        return fail("room " + room + " not in " + rooms.encode());
    }

    private ProtocolClient client(Vertx vertx, NoomNode node, String nickname) {
        ProtocolClient client = Transport.WEBSOCKET.connect(vertx, node.port());
        clients.add(client);
        client.hello(nickname);
        return client;
    }
}
