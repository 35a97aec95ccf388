package app.noom.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.metrics.NoomMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NoomMetrics metrics = new NoomMetrics(registry);
    private final FakeChannel first = new FakeChannel();
    private final Outbox outbox = new Outbox(first, metrics);

    private static String chat(int n) {
        return "{\"type\":\"chat\",\"text\":\"m" + n + "\"}";
    }

    private static String stamped(long seq, int n) {
        return "{\"seq\":" + seq + ",\"type\":\"chat\",\"text\":\"m" + n + "\"}";
    }

    private void sendChats(int fromInclusive, int toExclusive) {
        for (int n = fromInclusive; n < toExclusive; n++) outbox.sendEncoded("chat", chat(n));
    }

    @Test
    void everyFrameIsStampedWithTheNextSeqAndCounted() {
        outbox.send(new JsonObject().put("type", "pong"));
        outbox.sendEncoded("chat", chat(2));
        assertEquals(List.of("{\"seq\":1,\"type\":\"pong\"}", stamped(2, 2)), first.sent);
        assertEquals(2, outbox.lastSeq());
        assertEquals(
                1.0,
                registry.get("noom.messages.out").tag("type", "chat").counter().count());
        assertEquals(
                1.0,
                registry.get("noom.messages.out").tag("type", "pong").counter().count());
    }

    @Test
    void aResumingConnectionGetsExactlyTheFramesAfterItsLastSeq() {
        sendChats(1, 11);
        outbox.detach();
        sendChats(11, 14); // sent while away: buffered, not written anywhere
        assertEquals(10, first.sent.size());
        FakeChannel second = new FakeChannel();
        assertEquals(Optional.of(6), outbox.attach(second, 7));
        assertEquals(IntStream.range(8, 14).mapToObj(n -> stamped(n, n)).toList(), second.sent);
        assertTrue(outbox.isAttachedTo(second));
        assertFalse(outbox.isAttachedTo(first));
        outbox.sendEncoded("chat", chat(14));
        assertEquals(stamped(14, 14), second.sent.get(second.sent.size() - 1));
    }

    @Test
    void aClientThatMissedNothingIsAttachedWithNothingReplayed() {
        sendChats(1, 4);
        outbox.detach();
        FakeChannel second = new FakeChannel();
        assertEquals(Optional.of(0), outbox.attach(second, 3));
        assertTrue(second.sent.isEmpty());
        assertTrue(outbox.isAttachedTo(second));
    }

    @Test
    void whileConnectedOnlyTheLastFramesAreKeptSoAnOlderSeqCannotResume() {
        int total = Outbox.CONNECTED_HISTORY + 10;
        sendChats(1, total + 1);
        long oldestKept = (long) total - Outbox.CONNECTED_HISTORY + 1;
        assertEquals(
                Outbox.CONNECTED_HISTORY,
                outbox.framesAfter(oldestKept - 1).orElseThrow().size());
        assertEquals(
                stamped(oldestKept, (int) oldestKept),
                outbox.framesAfter(oldestKept - 1).orElseThrow().get(0));
        assertEquals(Optional.empty(), outbox.framesAfter(oldestKept - 2), "one frame too far back");

        outbox.detach();
        FakeChannel second = new FakeChannel();
        assertEquals(Optional.empty(), outbox.attach(second, 0));
        assertTrue(second.sent.isEmpty(), "nothing is written to a connection that cannot resume");
        assertFalse(outbox.isAttachedTo(second));
    }

    @Test
    void whatWasSentBeforeAFreshWelcomeIsNotKeptAndWhatFollowsIsReplayedInOrder() {
        sendChats(1, 4); // e.g. errors before hello, then the welcome (seq 3)
        outbox.forgetSent();
        assertEquals(Optional.of(List.of()), outbox.framesAfter(3), "a client that saw the welcome misses nothing");
        assertEquals(Optional.empty(), outbox.framesAfter(2), "nobody holding the token can have missed the welcome");
        sendChats(4, 7);
        outbox.detach();
        FakeChannel second = new FakeChannel();
        assertEquals(Optional.of(2), outbox.attach(second, 4));
        assertEquals(List.of(stamped(5, 5), stamped(6, 6)), second.sent);
        assertEquals(Optional.empty(), outbox.attach(new FakeChannel(), 2));
    }

    @Test
    void aClaimedSeqFromTheFutureCannotResume() {
        sendChats(1, 4);
        outbox.detach();
        FakeChannel second = new FakeChannel();
        assertEquals(Optional.empty(), outbox.attach(second, 4));
        assertTrue(second.sent.isEmpty());
    }

    @Test
    void whileDetachedUpToTheFrameBoundIsKeptAndOneMoreOverflows() {
        outbox.detach();
        sendChats(1, Outbox.DETACHED_MAX_FRAMES + 1);
        assertFalse(outbox.overflowed());
        assertEquals(
                Outbox.DETACHED_MAX_FRAMES,
                outbox.framesAfter(0).orElseThrow().size(),
                "detached, the history grows past the connected window");
        outbox.sendEncoded("chat", chat(0));
        assertTrue(outbox.overflowed());
        assertEquals(Optional.empty(), outbox.framesAfter(0));
        assertEquals(Optional.empty(), outbox.attach(new FakeChannel(), Outbox.DETACHED_MAX_FRAMES));
        long seq = outbox.lastSeq();
        outbox.sendEncoded("chat", chat(1));
        assertEquals(seq, outbox.lastSeq(), "an overflowed outbox takes nothing more");
    }

    @Test
    void whileDetachedTheCharacterBoundOverflowsWithFewFrames() {
        outbox.detach();
        String big = "{\"type\":\"chat\",\"text\":\"" + "x".repeat(300_000) + "\"}";
        for (int i = 0; i < 3; i++) outbox.sendEncoded("chat", big);
        assertFalse(outbox.overflowed(), "900 kB is within the bound");
        outbox.sendEncoded("chat", big);
        assertTrue(outbox.overflowed(), "1.2 MB is past " + Outbox.DETACHED_MAX_CHARS);
    }

    @Test
    void aConnectedOutboxNeverOverflowsItTrimsInstead() {
        sendChats(1, Outbox.DETACHED_MAX_FRAMES + 100);
        assertFalse(outbox.overflowed());
        assertEquals(Outbox.DETACHED_MAX_FRAMES + 99, first.sent.size());
    }

    @Test
    void aClientThatStopsReadingIsClosedOncePastTheCongestionBound() {
        String frame = "{\"type\":\"chat\",\"text\":\"" + "y".repeat(100_000) + "\"}";
        first.writeQueueFull = true;
        outbox.sendEncoded("chat", frame); // the write that finds the queue full starts the count
        assertEquals(1, first.drainActions.size());
        long perFrame = first.sent.get(0).length();
        long framesUnderBound = Outbox.MAX_CONGESTED_CHARS / perFrame;
        for (long i = 0; i < framesUnderBound; i++) outbox.sendEncoded("chat", frame);
        assertTrue(first.closeCodes.isEmpty(), "still within " + Outbox.MAX_CONGESTED_CHARS + " chars");
        outbox.sendEncoded("chat", frame);
        assertEquals(List.of(Outbox.SLOW_CONSUMER_CLOSE), first.closeCodes);
        int written = first.sent.size();
        outbox.sendEncoded("chat", chat(1));
        assertEquals(written, first.sent.size(), "nothing more is queued for a connection closed as slow");
        assertEquals(List.of(Outbox.SLOW_CONSUMER_CLOSE), first.closeCodes, "closed once");

        FakeChannel resumed = new FakeChannel(); // the frame it missed stays in history for a resume
        assertEquals(Optional.of(1), outbox.attach(resumed, outbox.lastSeq() - 1));
        assertEquals(stamped(outbox.lastSeq(), 1), resumed.sent.get(0));
    }

    @Test
    void aDrainedQueueStopsTheCountSoAReadingClientIsNeverClosed() {
        String frame = "{\"type\":\"chat\",\"text\":\"" + "z".repeat(100_000) + "\"}";
        long framesPerBound = Outbox.MAX_CONGESTED_CHARS / frame.length();
        for (int round = 0; round < 3; round++) {
            first.writeQueueFull = true;
            for (long i = 0; i < framesPerBound * 2 / 3; i++) outbox.sendEncoded("chat", frame);
            assertEquals(1, first.drainActions.size(), "one drain wait per congestion");
            first.drain();
        }
        assertTrue(first.closeCodes.isEmpty(), "each burst stayed under the bound; together they are twice past it");
    }

    @Test
    void aDrainOfAConnectionAlreadyReplacedDoesNotClearTheNewOnesCount() {
        String frame = "{\"type\":\"chat\",\"text\":\"" + "w".repeat(100_000) + "\"}";
        first.writeQueueFull = true;
        outbox.sendEncoded("chat", frame);
        outbox.detach();
        FakeChannel second = new FakeChannel();
        outbox.attach(second, outbox.lastSeq());
        second.writeQueueFull = true;
        outbox.sendEncoded("chat", frame);
        first.drain(); // late: belongs to the old connection
        long framesPerBound = Outbox.MAX_CONGESTED_CHARS / frame.length();
        for (long i = 0; i < framesPerBound + 1; i++) outbox.sendEncoded("chat", frame);
        assertEquals(List.of(Outbox.SLOW_CONSUMER_CLOSE), second.closeCodes);
        assertTrue(first.closeCodes.isEmpty());
    }

    @Test
    void aSessionArrivingFromAnotherNodeContinuesItsNumbering() {
        outbox.continueFrom(41, List.of(stamped(40, 40), stamped(41, 41)));
        assertEquals(List.of(stamped(40, 40), stamped(41, 41)), first.sent);
        outbox.sendEncoded("chat", chat(42));
        assertEquals(stamped(42, 42), first.sent.get(2));
        assertEquals(
                List.of(stamped(41, 41), stamped(42, 42)),
                outbox.framesAfter(40).orElseThrow());
    }

    @Test
    void closeReachesOnlyAnAttachedConnection() {
        outbox.close(4000, "bye");
        assertEquals(List.of(4000), first.closeCodes);
        outbox.detach();
        outbox.close(4001, "again");
        assertEquals(List.of(4000), first.closeCodes);
    }
}
