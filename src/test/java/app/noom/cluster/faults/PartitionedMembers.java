package app.noom.cluster.faults;

import static org.junit.jupiter.api.Assertions.fail;

import app.noom.integration.support.ProtocolClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * After a partition longer than the sweep bound, the other node has swept the cut-off node's members ({@code member-left}
 * to its own members). Once the cut-off node is back, the two must agree again: either the member learns it was
 * removed ({@code member-left} with its own id, docs/PROTOCOL.md#leave — and may join again), or the others learn it is
 * back ({@code member-joined}). Found by this scenario: the returning node used to re-add its members to presence
 * silently, so the room count said 2 while the other side's members refused to signal them ({@code unknown_member}).
 * Now a node that was swept tells its members they are out ({@code NodeLiveness.recover}).
 */
final class PartitionedMembers {
    private PartitionedMembers() {}

    static void check(ProtocolClient cutOff, ProtocolClient other, String room) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (toldRemoved(cutOff) || toldBack(other, cutOff.sessionId)) return;
            pause();
        }
        JsonObject answer = other.request(ProtocolClient.msg("signal")
                .put("room", room)
                .put("to", cutOff.sessionId)
                .put("kind", "candidate")
                .put("payload", new JsonObject().put("candidate", "still there?")));
        fail("after the partition the members disagree: " + cutOff.sessionId
                + " was swept by the other node but was not "
                + "told so, and the other side was not told it is back; a signal to it now answers " + answer.encode());
    }

    static boolean toldRemoved(ProtocolClient member) {
        return member.seen().stream()
                .anyMatch(m ->
                        "member-left".equals(m.getString("type")) && member.sessionId.equals(m.getString("memberId")));
    }

    private static boolean toldBack(ProtocolClient watcher, String memberId) {
        List<JsonObject> seen = watcher.seen();
        int left = -1;
        for (int i = 0; i < seen.size(); i++) {
            JsonObject m = seen.get(i);
            if ("member-left".equals(m.getString("type")) && memberId.equals(m.getString("memberId"))) left = i;
            if (left >= 0
                    && i > left
                    && "member-joined".equals(m.getString("type"))
                    && memberId.equals(m.getJsonObject("member").getString("id"))) {
                return true;
            }
        }
        return left < 0; // never swept (a partition shorter than the sweep bound): nothing to disagree about
    }

    private static void pause() {
        try {
            Thread.sleep(100); // polling interval of a poll-with-deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
