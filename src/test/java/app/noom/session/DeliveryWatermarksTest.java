package app.noom.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.fanout.Envelope;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DeliveryWatermarksTest {
    private static Envelope chat(String room, String node, long serial) {
        return new Envelope(Envelope.Kind.CHAT, room, "m-a", "{}").fromCluster(node, serial);
    }

    @Test
    void envelopesThatNeverCrossedRedisAreNeitherTrackedNorSkipped() {
        DeliveryWatermarks marks = new DeliveryWatermarks();
        Envelope local = new Envelope(Envelope.Kind.CHAT, "r", "m-a", "{}");
        marks.saw(local);
        assertFalse(marks.alreadySeen(local));
        assertEquals(new JsonObject(), marks.toJson());
    }

    @Test
    void theHighestSerialPerRoomAndNodeIsKeptAndSurvivesTheTrip() {
        DeliveryWatermarks marks = new DeliveryWatermarks();
        marks.saw(chat("r", "n1", 5));
        marks.saw(chat("r", "n1", 3));
        marks.saw(chat("r", "n2", 9));
        DeliveryWatermarks moved = DeliveryWatermarks.fromJson(marks.toJson());
        assertTrue(moved.alreadySeen(chat("r", "n1", 5)));
        assertFalse(moved.alreadySeen(chat("r", "n1", 6)));
        assertTrue(moved.alreadySeen(chat("r", "n2", 1)));
        assertFalse(moved.alreadySeen(chat("s", "n1", 1)), "another room's channel has its own serials");
    }

    @Test
    void marksRebuiltFromNothingSkipNothingAndStillTrack() {
        DeliveryWatermarks marks = DeliveryWatermarks.fromJson(null);
        assertFalse(marks.alreadySeen(chat("r", "n1", 1)));
        DeliveryWatermarks empty = DeliveryWatermarks.fromJson(new JsonObject());
        empty.saw(chat("r", "n1", 2));
        assertTrue(empty.alreadySeen(chat("r", "n1", 2)));
    }
}
