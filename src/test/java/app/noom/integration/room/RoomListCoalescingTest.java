package app.noom.integration.room;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.Transport;
import app.noom.room.RoomListCoalescer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A session joining and leaving a public room as fast as it can: every room-list subscriber gets at most two
 * {@code room-changed} for that room per coalescing interval (not one per join and leave), and the final count.
 */
@ExtendWith(VertxExtension.class)
class RoomListCoalescingTest {
    private static final int CYCLES = 40;

    @Test
    void churnIsCoalescedPerSubscriberAndTheLatestCountWins(Vertx vertx) {
        try (NoomNode node = NoomNode.start(Map.of("RATE_JOINS_PER_SECOND", "0"))) {
            String room = "churn-" + System.nanoTime();
            List<ProtocolClient> watchers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ProtocolClient watcher = Transport.WEBSOCKET.connect(vertx, node.port());
                watcher.hello("Watcher" + i);
                watcher.request(msg("rooms-subscribe"));
                watchers.add(watcher);
            }
            ProtocolClient churner = Transport.WEBSOCKET.connect(vertx, node.port());
            churner.hello("Churner");
            long started = System.nanoTime();
            for (int i = 0; i < CYCLES; i++) {
                churner.join(room);
                churner.request(msg("leave").put("room", room));
            }
            // a final count the churn never produced, so that its arrival means "everything up to the end has arrived"
            ProtocolClient ada = Transport.WEBSOCKET.connect(vertx, node.port());
            ProtocolClient grace = Transport.WEBSOCKET.connect(vertx, node.port());
            ada.hello("Ada");
            grace.hello("Grace");
            ada.join(room);
            grace.join(room);
            for (ProtocolClient watcher : watchers) {
                watcher.next(m -> "room-changed".equals(m.getString("type"))
                        && room.equals(m.getString("room"))
                        && m.getInteger("count") == 2);
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                long pushes = watcher.seen().stream()
                        .filter(m -> "room-changed".equals(m.getString("type")) && room.equals(m.getString("room")))
                        .count();
                long bound = 2 * (elapsedMillis / RoomListCoalescer.INTERVAL_MILLIS + 1) + 1;
                assertTrue(
                        pushes <= bound,
                        pushes + " pushes for " + (2 * CYCLES + 2) + " changes in " + elapsedMillis + " ms; at most "
                                + bound + " expected");
                JsonObject last = watcher.seen().stream()
                        .filter(m -> "room-changed".equals(m.getString("type")) && room.equals(m.getString("room")))
                        .reduce((a, b) -> b)
                        .orElseThrow();
                assertEquals(2, last.getInteger("count"), "the latest count wins");
            }
            watchers.forEach(ProtocolClient::close);
            List.of(churner, ada, grace).forEach(ProtocolClient::close);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
