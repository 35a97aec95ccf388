package app.noom.cluster.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each check of the oracle on hand-made transcripts: silent on a correct run, loud on the one broken thing. */
class OracleTest {
    private static final String ROOM = "r";
    private Transcripts t;
    private SessionLog a;
    private SessionLog b;

    @BeforeEach
    void twoMembersInOneRoom() {
        t = new Transcripts();
        a = t.session("a");
        b = t.session("b");
        t.join(a, ROOM, List.of());
        t.join(b, ROOM, List.of(a));
        t.memberJoined(a, ROOM, b);
    }

    @Test
    void aCorrectRunHasNoViolation() {
        t.ack(b, t.signal(b, ROOM, a, 1));
        t.deliverSignal(a, ROOM, b, 1);
        t.ack(a, t.chat(a, ROOM, 2));
        t.deliverChat(a, ROOM, a, 2);
        t.deliverChat(b, ROOM, a, 2);
        assertEquals(List.of(), Oracle.check(t.history));
    }

    @Test
    void seqGapAndSeqGoingBackAreI1() {
        t.pushWithSeq(a, Transcripts.msg("pong"), 9);
        assertOnly("I1", SeqCheck.check(t.history));
    }

    @Test
    void resumeMustContinueAtLastSeqPlusOne() {
        t.resume(b, true);
        String hello = t.send(b, Transcripts.msg("hello"));
        t.welcomeResumed(b, hello, true);
        assertEquals(List.of(), SeqCheck.check(t.history));

        t.resume(a, true);
        String again = t.send(a, Transcripts.msg("hello"));
        t.pushWithSeq(a, Transcripts.msg("chat").put("room", ROOM), 1); // a stray frame numbered 1 before the replay
        t.welcomeResumed(a, again, true);
        assertOnly("I1", SeqCheck.check(t.history));
    }

    @Test
    void anAckedSignalThatNeverArrivesIsI2() {
        t.ack(b, t.signal(b, ROOM, a, 1));
        assertOnly("I2", DeliveryCheck.check(t.history));
    }

    @Test
    void aSignalLostWhileItsRecipientMovesToAnotherNodeIsReportedApartAsI2H() {
        t.resume(a, true);
        String hello = t.send(a, Transcripts.msg("hello"));
        t.ack(b, t.signal(b, ROOM, a, 1)); // sent and acked while a's session moves
        t.welcomeResumed(a, hello, true);
        assertOnly("I2H", DeliveryCheck.check(t.history));
    }

    @Test
    void aSignalDeliveredTwiceOrOutOfOrderIsI2() {
        t.ack(b, t.signal(b, ROOM, a, 1));
        t.ack(b, t.signal(b, ROOM, a, 2));
        t.deliverSignal(a, ROOM, b, 2);
        t.deliverSignal(a, ROOM, b, 1);
        assertOnly("I2", DeliveryCheck.check(t.history));
        t.deliverSignal(a, ROOM, b, 2);
        assertEquals(2, DeliveryCheck.check(t.history).size());
    }

    @Test
    void noDeliveryIsOwedToAMemberThatLeft() {
        String leave = t.send(a, Transcripts.msg("leave").put("room", ROOM));
        t.ack(b, t.signal(b, ROOM, a, 1));
        t.ack(a, leave);
        t.memberLeft(b, ROOM, a);
        assertEquals(List.of(), DeliveryCheck.check(t.history));
    }

    @Test
    void aGhostAfterByeAndAMissedMemberAreI3() {
        t.send(b, Transcripts.msg("bye"));
        b.end();
        assertOnly("I3", MembershipCheck.check(t.history)); // a never got member-left for b
        t.memberLeft(a, ROOM, b);
        assertEquals(List.of(), MembershipCheck.check(t.history));
        SessionLog c = t.session("c");
        t.join(c, ROOM, List.of(a)); // a never hears of c
        assertOnly("I3", MembershipCheck.check(t.history));
    }

    @Test
    void twoMembersSeeingChatsInOppositeOrdersIsI4() {
        t.ack(a, t.chat(a, ROOM, 1));
        t.ack(b, t.chat(b, ROOM, 1));
        t.deliverChat(a, ROOM, a, 1);
        t.deliverChat(a, ROOM, b, 1);
        t.deliverChat(b, ROOM, b, 1);
        t.deliverChat(b, ROOM, a, 1);
        assertOnly("I4", RoomOrderCheck.check(t.history));
    }

    @Test
    void aRacedMemberJoinedOfSomeoneAlreadyListedIsNoOrderingFact() {
        SessionLog c = t.session("c");
        t.join(c, ROOM, List.of(a, b));
        t.memberJoined(a, ROOM, c);
        t.memberJoined(b, ROOM, c);
        t.ack(a, t.chat(a, ROOM, 1));
        t.deliverChat(a, ROOM, a, 1);
        t.deliverChat(b, ROOM, a, 1);
        t.deliverChat(c, ROOM, a, 1);
        t.memberJoined(c, ROOM, b); // c's joined already listed b: a raced duplicate, views are sets
        assertEquals(List.of(), RoomOrderCheck.check(t.history));
        assertEquals(List.of(), MembershipCheck.check(t.history));
    }

    @Test
    void aKickThatDoesNotHoldIsI5() {
        t.ack(a, t.send(a, Transcripts.msg("kick").put("room", ROOM).put("member", b.id())));
        t.memberLeft(a, ROOM, b);
        t.push(b, Transcripts.msg("kicked").put("room", ROOM));
        assertEquals(List.of(), AccessCheck.check(t.history));
        t.ack(b, t.chat(b, ROOM, 5)); // the victim's chat is accepted and reaches a
        t.deliverChat(a, ROOM, b, 5);
        List<Violation> found = AccessCheck.check(t.history);
        assertEquals(2, found.size(), found::toString);
        assertOnly("I5", found);
    }

    @Test
    void aVictimWhoseLeaveCrossedTheKickNeedNotHearKickedButStaysBanned() {
        String leave = t.send(b, Transcripts.msg("leave").put("room", ROOM));
        t.ack(a, t.send(a, Transcripts.msg("kick").put("room", ROOM).put("member", b.id())));
        t.ack(b, leave);
        assertEquals(List.of(), AccessCheck.check(t.history));
        t.join(b, ROOM, List.of(a)); // the ban must still hold
        assertOnly("I5", AccessCheck.check(t.history));
    }

    @Test
    void aRejoinWithinTheBanAndATokenRoomBreachAreI5() {
        t.ack(a, t.send(a, Transcripts.msg("kick").put("room", ROOM).put("member", b.id())));
        t.push(b, Transcripts.msg("kicked").put("room", ROOM));
        SessionLog bAgain = t.session("b");
        bAgain.id("m-b2");
        t.join(bAgain, ROOM, List.of(a));
        assertOnly("I5", AccessCheck.check(t.history));

        Transcripts other = new Transcripts();
        SessionLog scoped = other.session("s");
        other.history.roomClaims.put("s", "only-x");
        other.join(scoped, "forbidden-y", List.of());
        assertOnly("I5", AccessCheck.check(other.history));
    }

    @Test
    void aRefusedMessageThatIsDeliveredAnywayIsI6ButRelayInterruptedMayBe() {
        t.error(a, t.chat(a, ROOM, 1), "relay_unavailable");
        t.deliverChat(b, ROOM, a, 1);
        assertOnly("I6", AllOrNothingCheck.check(t.history));

        Transcripts other = new Transcripts();
        SessionLog x = other.session("x");
        SessionLog y = other.session("y");
        other.join(x, ROOM, List.of());
        other.join(y, ROOM, List.of(x));
        other.error(x, other.chat(x, ROOM, 1), AllOrNothingCheck.MAYBE_DELIVERED);
        other.deliverChat(y, ROOM, x, 1);
        assertEquals(List.of(), AllOrNothingCheck.check(other.history));
    }

    @Test
    void repliesOutOfRequestOrderAndNotInRoomAfterJoinAreFlagged() {
        SessionLog c = t.session("c");
        String join = t.send(c, Transcripts.msg("join").put("room", ROOM));
        String chat = t.chat(c, ROOM, 1);
        t.error(c, chat, "not_in_room");
        t.reply(
                c,
                join,
                Transcripts.msg("joined").put("room", ROOM).put("members", new io.vertx.core.json.JsonArray()));
        List<Violation> found = RequestOrderCheck.check(t.history);
        assertEquals(2, found.size(), found::toString);
        assertOnly("REQ", found);
    }

    @Test
    void aChatRefusedBecauseOfAKickAnnouncedJustAfterIsNoRequestOrderFact() {
        t.ack(a, t.send(a, Transcripts.msg("kick").put("room", ROOM).put("member", b.id())));
        t.error(
                b,
                t.chat(b, ROOM, 1),
                "not_in_room"); // Redis ordered the kick first; its notice comes on the room's path
        t.push(b, Transcripts.msg("kicked").put("room", ROOM));
        assertEquals(List.of(), RequestOrderCheck.check(t.history));
    }

    @Test
    void everyRequestOfALiveSessionIsAnsweredWithoutFaults() {
        t.send(a, Transcripts.msg("ping"));
        assertOnly("REQ", RequestOrderCheck.check(t.history));
        t.history.fault(0, 1, "a fault: answers may be lost with the node");
        assertEquals(List.of(), RequestOrderCheck.check(t.history));
    }

    private static void assertOnly(String invariant, List<Violation> found) {
        assertTrue(!found.isEmpty(), "expected a violation of " + invariant);
        for (Violation v : found) assertEquals(invariant, v.invariant(), v::toString);
    }
}
