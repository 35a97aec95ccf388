package app.noom.relay.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a room counts as subscribed again after a gap: once, after the last of its lost channels is confirmed. */
class ShardGapsTest {
    private final List<String> regained = new ArrayList<>();
    private final ShardGaps gaps = new ShardGaps((room, afterReconnect) -> regained.add(room + "/" + afterReconnect));

    @Test
    void aRoomIsRegainedOnceAllItsLostChannelsAreConfirmed() {
        gaps.opened(RedisKeys.roomChannel("r"), false);
        gaps.opened(RedisKeys.directChannel("r", "m-1"), false);
        gaps.closed(RedisKeys.roomChannel("r"));
        assertEquals(List.of(), regained, "its directed channel is still missing");
        gaps.closed(RedisKeys.directChannel("r", "m-1"));
        assertEquals(List.of("r/false"), regained);
        gaps.closed(RedisKeys.roomChannel("r"));
        assertEquals(List.of("r/false"), regained, "a later confirmation is no new gap");
    }

    @Test
    void aGapThatIncludedALostConnectionSaysSo() {
        gaps.opened(RedisKeys.roomChannel("a}b"), true);
        gaps.opened(RedisKeys.directChannel("a}b", "m-1"), false);
        gaps.closed(RedisKeys.directChannel("a}b", "m-1"));
        gaps.closed(RedisKeys.roomChannel("a}b"));
        assertEquals(List.of("a}b/true"), regained, "room names may contain }");
    }

    @Test
    void aRoomNoLongerWantedHereIsNotResynced() {
        gaps.opened(RedisKeys.roomChannel("r"), true);
        gaps.notWanted(RedisKeys.roomChannel("r"));
        assertEquals(List.of(), regained);
    }

    @Test
    void otherChannelsAreNoRoomsGap() {
        gaps.opened(RedisKeys.nodeChannel("n1"), true);
        gaps.opened(RedisKeys.ROOM_COUNTS_CHANNEL, true);
        gaps.closed(RedisKeys.nodeChannel("n1"));
        gaps.closed(RedisKeys.ROOM_COUNTS_CHANNEL);
        assertEquals(List.of(), regained);
    }
}
