package app.noom.relay.local;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.protocol.MediaState;
import app.noom.protocol.MemberInfo;
import app.noom.protocol.RoomCount;
import app.noom.relay.Presence.JoinOutcome;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class InMemoryPresenceTest {
    private final InMemoryPresence presence = new InMemoryPresence();
    private final List<RoomCount> changes = Collections.synchronizedList(new ArrayList<>());

    {
        presence.onRoomCountChanged(changes::add);
    }

    private static MemberInfo member(String id) {
        return new MemberInfo(id, "nick-" + id, MediaState.INITIAL);
    }

    private static <T> T done(Future<T> future) {
        assertTrue(future.succeeded(), () -> "future not succeeded: " + future);
        return future.result();
    }

    private JoinOutcome join(String room, String id, int max) {
        return done(presence.join(room, member(id), max));
    }

    private List<RoomCount> rooms() {
        return done(presence.rooms());
    }

    @Test
    void firstJoinCreatesTheRoomAndSeesNoOthers() {
        JoinOutcome.Admitted a = assertInstanceOf(JoinOutcome.Admitted.class, join("standup", "m-A", 6));
        assertEquals(List.of(), a.others());
        assertEquals(1, a.count());
        assertEquals(List.of(new RoomCount("standup", 1)), rooms());
    }

    @Test
    void membersAreAdmittedUpToTheLimitThenTheRoomIsFull() {
        for (int i = 1; i <= 6; i++) {
            JoinOutcome.Admitted a = assertInstanceOf(JoinOutcome.Admitted.class, join("standup", "m-" + i, 6));
            assertEquals(i, a.count());
        }
        JoinOutcome.Full full = assertInstanceOf(JoinOutcome.Full.class, join("standup", "m-7", 6));
        assertEquals(6, full.count());
        assertEquals(List.of(new RoomCount("standup", 6)), rooms());
    }

    @Test
    void lockAndUnlockAreAnnouncedAndListedOnceEach() {
        join("standup", "m-A", 6);
        changes.clear();
        done(presence.lock("standup", true));
        done(presence.lock("standup", true)); // no change: nothing to announce
        assertEquals(List.of(new RoomCount("standup", 1, true)), changes);
        assertEquals(List.of(new RoomCount("standup", 1, true)), rooms());
        done(presence.lock("standup", false));
        assertEquals(List.of(new RoomCount("standup", 1, true), new RoomCount("standup", 1, false)), changes);
        assertEquals(List.of(new RoomCount("standup", 1, false)), rooms());
    }

    @Test
    void roomIsFullAtTheConfiguredLimit() {
        assertInstanceOf(JoinOutcome.Admitted.class, join("pair", "m-A", 2));
        assertInstanceOf(JoinOutcome.Admitted.class, join("pair", "m-B", 2));
        assertInstanceOf(JoinOutcome.Full.class, join("pair", "m-C", 2));
    }

    @Test
    void refusedJoinEmitsNoCountChange() {
        join("pair", "m-A", 2);
        join("pair", "m-B", 2);
        changes.clear();
        join("pair", "m-C", 2);
        assertEquals(List.of(), changes);
    }

    @Test
    void leaveFreesASeatInAFullRoom() {
        join("pair", "m-A", 2);
        join("pair", "m-B", 2);
        done(presence.leave("pair", "m-A"));
        JoinOutcome.Admitted a = assertInstanceOf(JoinOutcome.Admitted.class, join("pair", "m-C", 2));
        assertEquals(List.of(member("m-B")), a.others());
    }

    @Test
    void othersListExcludesSelfAndKeepsJoinOrder() {
        join("standup", "m-A", 6);
        join("standup", "m-B", 6);
        JoinOutcome.Admitted c = assertInstanceOf(JoinOutcome.Admitted.class, join("standup", "m-C", 6));
        assertEquals(List.of(member("m-A"), member("m-B")), c.others());
        assertEquals(3, c.count());
    }

    @Test
    void leaveRemovesTheMember() {
        join("standup", "m-A", 6);
        join("standup", "m-B", 6);
        done(presence.leave("standup", "m-A"));
        assertEquals(List.of(new RoomCount("standup", 1)), rooms());
        JoinOutcome.Admitted c = assertInstanceOf(JoinOutcome.Admitted.class, join("standup", "m-C", 6));
        assertEquals(List.of(member("m-B")), c.others());
    }

    @Test
    void emptyRoomDisappearsFromRooms() {
        join("standup", "m-A", 6);
        join("retro", "m-B", 6);
        done(presence.leave("standup", "m-A"));
        assertEquals(List.of(new RoomCount("retro", 1)), rooms());
        done(presence.leave("retro", "m-B"));
        assertEquals(List.of(), rooms());
    }

    @Test
    void roomsAreIndependent() {
        join("a", "m-A", 2);
        join("a", "m-B", 2);
        assertInstanceOf(JoinOutcome.Admitted.class, join("b", "m-C", 2));
        assertEquals(
                List.of(new RoomCount("a", 2), new RoomCount("b", 1)),
                rooms().stream()
                        .sorted(java.util.Comparator.comparing(RoomCount::room))
                        .toList());
    }

    @Test
    void oneMemberMayBeInSeveralRooms() {
        assertInstanceOf(JoinOutcome.Admitted.class, join("a", "m-A", 6));
        assertInstanceOf(JoinOutcome.Admitted.class, join("b", "m-A", 6));
        done(presence.leave("a", "m-A"));
        assertEquals(List.of(new RoomCount("b", 1)), rooms());
    }

    @Test
    void countListenerIsCalledInOrderIncludingZeroOnLastLeave() {
        join("standup", "m-A", 6);
        join("standup", "m-B", 6);
        done(presence.leave("standup", "m-A"));
        done(presence.leave("standup", "m-B"));
        assertEquals(
                List.of(
                        new RoomCount("standup", 1),
                        new RoomCount("standup", 2),
                        new RoomCount("standup", 1),
                        new RoomCount("standup", 0)),
                changes);
    }

    @Test
    void everyListenerIsCalled() {
        List<RoomCount> second = new ArrayList<>();
        presence.onRoomCountChanged(second::add);
        join("standup", "m-A", 6);
        assertEquals(List.of(new RoomCount("standup", 1)), changes);
        assertEquals(List.of(new RoomCount("standup", 1)), second);
    }

    @Test
    void leavingARoomOneIsNotInDoesNothingAndEmitsNothing() {
        join("standup", "m-A", 6);
        changes.clear();
        done(presence.leave("standup", "m-B"));
        done(presence.leave("nowhere", "m-A"));
        assertEquals(List.of(), changes);
        assertEquals(List.of(new RoomCount("standup", 1)), rooms());
    }

    @Test
    void leavingTwiceEmitsOnce() {
        join("standup", "m-A", 6);
        done(presence.leave("standup", "m-A"));
        done(presence.leave("standup", "m-A"));
        assertEquals(List.of(new RoomCount("standup", 1), new RoomCount("standup", 0)), changes);
        assertEquals(List.of(), rooms());
    }

    @Test
    void updateReplacesMemberInfo() {
        join("standup", "m-A", 6);
        MemberInfo renamed = new MemberInfo("m-A", "Ada L.", new MediaState(true, true, false));
        done(presence.update("standup", renamed));
        JoinOutcome.Admitted b = assertInstanceOf(JoinOutcome.Admitted.class, join("standup", "m-B", 6));
        assertEquals(List.of(renamed), b.others());
    }

    @Test
    void updateDoesNotChangeCountsNorEmit() {
        join("standup", "m-A", 6);
        changes.clear();
        done(presence.update("standup", member("m-A").withNickname("Ada")));
        assertEquals(List.of(), changes);
        assertEquals(List.of(new RoomCount("standup", 1)), rooms());
    }

    @Test
    void updateOfANonMemberAddsNoOne() {
        join("standup", "m-A", 6);
        done(presence.update("standup", member("m-X")));
        done(presence.update("nowhere", member("m-X")));
        assertEquals(List.of(new RoomCount("standup", 1)), rooms());
        JoinOutcome.Admitted b = assertInstanceOf(JoinOutcome.Admitted.class, join("standup", "m-B", 6));
        assertEquals(List.of(member("m-A")), b.others());
    }

    @RepeatedTest(5)
    void concurrentJoinsFromManyThreadsNeverExceedTheLimit() throws Exception {
        int max = 6;
        int threads = 64;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger admitted = new AtomicInteger();
            AtomicInteger full = new AtomicInteger();
            List<java.util.concurrent.Future<?>> tasks = IntStream.range(0, threads)
                    .mapToObj(i -> pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        JoinOutcome outcome = done(presence.join("crowd", member("m-" + i), max));
                        if (outcome instanceof JoinOutcome.Admitted a) {
                            assertTrue(a.count() <= max);
                            assertEquals(a.count() - 1, a.others().size());
                            admitted.incrementAndGet();
                        } else {
                            assertEquals(max, ((JoinOutcome.Full) outcome).count());
                            full.incrementAndGet();
                        }
                        return null;
                    }))
                    .collect(java.util.stream.Collectors.toList());
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            go.countDown();
            for (java.util.concurrent.Future<?> t : tasks) t.get(10, TimeUnit.SECONDS);
            assertEquals(max, admitted.get());
            assertEquals(threads - max, full.get());
            assertEquals(List.of(new RoomCount("crowd", max)), rooms());
            assertEquals(
                    IntStream.rangeClosed(1, max)
                            .mapToObj(n -> new RoomCount("crowd", n))
                            .toList(),
                    changes);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @RepeatedTest(3)
    void concurrentJoinsAndLeavesKeepCountsConsistent() throws Exception {
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> tasks = IntStream.range(0, threads)
                    .mapToObj(i -> pool.submit(() -> {
                        go.await();
                        for (int round = 0; round < 200; round++) {
                            if (done(presence.join("churn", member("m-" + i), 6)) instanceof JoinOutcome.Admitted) {
                                done(presence.leave("churn", "m-" + i));
                            }
                        }
                        return null;
                    }))
                    .collect(java.util.stream.Collectors.toList());
            go.countDown();
            for (java.util.concurrent.Future<?> t : tasks) t.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(), rooms());
            List<RoomCount> seen = List.copyOf(changes);
            assertTrue(seen.stream().allMatch(c -> c.count() >= 0 && c.count() <= 6), seen::toString);
            for (int i = 1; i < seen.size(); i++) {
                assertEquals(
                        1, Math.abs(seen.get(i).count() - seen.get(i - 1).count()), "counts move one by one, in order");
            }
            assertEquals(0, seen.get(seen.size() - 1).count());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
