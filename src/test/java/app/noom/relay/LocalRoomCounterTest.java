package app.noom.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The relay subscribes to a room on its first local member and unsubscribes on its last: both edges must be exact. */
class LocalRoomCounterTest {

    @Test
    void theFirstMemberAndOnlyTheFirstOpensTheRoom() {
        LocalRoomCounter counter = new LocalRoomCounter();
        assertTrue(counter.added("a"));
        assertFalse(counter.added("a"));
        assertFalse(counter.added("a"));
        assertTrue(counter.added("b"));
        assertEquals(3, counter.membersIn("a"));
        assertEquals(1, counter.membersIn("b"));
        assertEquals(0, counter.membersIn("nobody-here"));
        assertEquals(2, counter.rooms());
    }

    @Test
    void theLastMemberAndOnlyTheLastClosesTheRoomAndForgetsIt() {
        LocalRoomCounter counter = new LocalRoomCounter();
        counter.added("a");
        counter.added("a");
        counter.added("b");
        assertFalse(counter.removed("a"));
        assertEquals(1, counter.membersIn("a"));
        assertTrue(counter.removed("a"));
        assertEquals(0, counter.membersIn("a"));
        assertEquals(1, counter.rooms(), "an emptied room is no longer counted");
        assertTrue(counter.added("a"), "a room emptied and joined again opens again");
        assertEquals(2, counter.rooms());
    }

    @Test
    void removingFromARoomWithNoLocalMembersIsNotALastMember() {
        LocalRoomCounter counter = new LocalRoomCounter();
        assertFalse(counter.removed("ghost"));
        assertEquals(0, counter.rooms());
        assertEquals(0, counter.membersIn("ghost"));
    }

    /**
     * Sessions on several event loops join and leave the same few rooms at once. Each thread only removes what it added
     * earlier, so a count never goes below zero; per room, the {@code added == true} answers must be exactly the 0→1
     * transitions and the {@code removed == true} answers exactly the 1→0 ones, so opens and closes alternate and
     * balance: opens − closes = 1 if the room still has members, else 0. (It caught a decrement-then-remove that lost a
     * member added in between, leaving node capacity counted short.)
     */
    @Test
    void concurrentJoinsAndLeavesOpenAndCloseEachRoomExactlyOncePerTransition() throws Exception {
        long seed = 20261202L;
        int threads = 4;
        int stepsPerThread = 400_000;
        List<String> rooms = List.of("r0", "r1"); // few rooms, few members each: many 0→1 and 1→0 edges to race on
        LocalRoomCounter counter = new LocalRoomCounter();
        Map<String, AtomicInteger> opens = new HashMap<>();
        Map<String, AtomicInteger> closes = new HashMap<>();
        Map<String, AtomicInteger> expectedMembers = new HashMap<>();
        for (String room : rooms) {
            opens.put(room, new AtomicInteger());
            closes.put(room, new AtomicInteger());
            expectedMembers.put(room, new AtomicInteger());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed + t);
                done.add(pool.submit(() -> {
                    List<String> held = new ArrayList<>(); // rooms this thread joined and has not left
                    start.await();
                    for (int step = 0; step < stepsPerThread; step++) {
                        boolean join = held.isEmpty() || (held.size() < 2 && random.nextBoolean());
                        if (join) {
                            String room = rooms.get(random.nextInt(rooms.size()));
                            held.add(room);
                            expectedMembers.get(room).incrementAndGet();
                            if (counter.added(room)) opens.get(room).incrementAndGet();
                        } else {
                            String room = held.remove(random.nextInt(held.size()));
                            expectedMembers.get(room).decrementAndGet();
                            if (counter.removed(room)) closes.get(room).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        int nonEmpty = 0;
        for (String room : rooms) {
            int members = expectedMembers.get(room).get();
            assertEquals(members, counter.membersIn(room), room + " count");
            int stillOpen = members > 0 ? 1 : 0;
            nonEmpty += stillOpen;
            assertEquals(stillOpen, opens.get(room).get() - closes.get(room).get(), room + " opens minus closes");
            assertTrue(opens.get(room).get() > 1, room + " should have emptied and reopened during the run");
        }
        assertEquals(nonEmpty, counter.rooms());
    }
}
