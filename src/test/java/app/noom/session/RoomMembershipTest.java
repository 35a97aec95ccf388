package app.noom.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.fanout.Envelope;
import app.noom.fanout.Envelope.Kind;
import app.noom.protocol.MediaState;
import app.noom.protocol.MemberInfo;
import app.noom.protocol.ServerMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomMembershipTest {
    private static final String ROOM = "room-1";
    private static final String SELF = "self";
    private final List<Envelope> forwarded = new ArrayList<>();
    private final List<RoomMembership> removed = new ArrayList<>();
    private final RoomMembership membership = new RoomMembership(ROOM, SELF, forwarded::add, removed::add);

    private static Envelope envelope(Kind kind, String memberId) {
        String json = "{\"type\":\"" + kind.messageType() + "\",\"about\":\"" + memberId + "\"}";
        return new Envelope(kind, ROOM, memberId, json);
    }

    private static Envelope chatFrom(String memberId, String text) {
        String json = "{\"type\":\"chat\",\"from\":\"" + memberId + "\",\"text\":\"" + text + "\"}";
        return new Envelope(Kind.CHAT, ROOM, memberId, json);
    }

    private static MemberInfo member(String id) {
        return new MemberInfo(id, "nick-" + id, MediaState.INITIAL);
    }

    private void activeWith(String... others) {
        membership.activate(
                java.util.Arrays.stream(others).map(RoomMembershipTest::member).toList());
        membership.releasePending();
    }

    @Test
    void whatArrivesBeforeAdmissionWaitsUntilReleasedMinusWhatTheSnapshotAlreadySaid() {
        Envelope bJoined = envelope(Kind.MEMBER_JOINED, "b");
        Envelope cJoined = envelope(Kind.MEMBER_JOINED, "c");
        Envelope chat = chatFrom("b", "hi");
        membership.onEnvelope(bJoined);
        membership.onEnvelope(cJoined);
        membership.onEnvelope(chat);
        assertFalse(membership.active());
        assertFalse(membership.acceptsFrom("b"), "nothing is accepted before admission");
        membership.activate(List.of(member("b")));
        assertTrue(membership.active());
        assertTrue(forwarded.isEmpty(), "nothing about the room before the client has its joined answer");
        membership.releasePending();
        assertEquals(List.of(cJoined, chat), forwarded, "b was in the snapshot: its member-joined is not repeated");
        Envelope later = chatFrom("c", "after");
        membership.onEnvelope(later);
        assertEquals(later, forwarded.get(2), "once released, envelopes go straight through");
        assertEquals(Set.of("b", "c"), Set.copyOf(membership.memberIds()));
        membership.releasePending(); // a second release replays nothing
        assertEquals(3, forwarded.size());
    }

    @Test
    void aSessionArrivingFromAnotherNodeIsActivatedFromItsMemberListAndStillWaitsForRelease() {
        Envelope dJoined = envelope(Kind.MEMBER_JOINED, "d");
        membership.onEnvelope(dJoined);
        membership.activateWith(List.of("b", "c"));
        assertTrue(membership.hasMember("b"));
        assertTrue(forwarded.isEmpty());
        membership.releasePending();
        assertEquals(List.of(dJoined), forwarded);
        assertTrue(membership.hasMember("d"));
    }

    @Test
    void membersAreTrackedFromJoinedAndLeftAndEachIsForwardedOnce() {
        activeWith("b");
        Envelope cJoined = envelope(Kind.MEMBER_JOINED, "c");
        membership.onEnvelope(cJoined);
        membership.onEnvelope(cJoined); // a duplicate (e.g. over two paths) says nothing new
        membership.onEnvelope(envelope(Kind.MEMBER_JOINED, SELF)); // our own join is not news to us
        assertEquals(List.of(cJoined), forwarded);
        assertTrue(membership.hasMember("c"));
        assertFalse(membership.hasMember(SELF));

        Envelope bLeft = envelope(Kind.MEMBER_LEFT, "b");
        membership.onEnvelope(bLeft);
        membership.onEnvelope(bLeft);
        membership.onEnvelope(envelope(Kind.MEMBER_LEFT, "never-here"));
        assertEquals(List.of(cJoined, bLeft), forwarded, "a left is forwarded only for a member we knew");
        assertFalse(membership.hasMember("b"));
        assertEquals(List.of("c"), membership.memberIds());
    }

    @Test
    void whatAMemberSeenLeavingStillSendsIsDroppedUntilItComesBack() {
        activeWith("b", "c");
        membership.onEnvelope(envelope(Kind.MEMBER_LEFT, "b"));
        assertFalse(membership.acceptsFrom("b"));
        assertTrue(membership.acceptsFrom("c"));
        forwarded.clear();
        membership.onEnvelope(chatFrom("b", "late"));
        assertTrue(forwarded.isEmpty(), "a chat published just before b's removal reached its node stops here");
        membership.onEnvelope(envelope(Kind.MEMBER_UPDATED, "b"));
        assertTrue(forwarded.isEmpty(), "no updates about someone who is not a member");

        Envelope back = envelope(Kind.MEMBER_JOINED, "b");
        membership.onEnvelope(back);
        assertTrue(membership.acceptsFrom("b"), "a member may come back after a leave or a ban");
        Envelope chat = chatFrom("b", "again");
        membership.onEnvelope(chat);
        assertEquals(List.of(back, chat), forwarded);
    }

    @Test
    void anotherMemberKickedIsForwardedAsAPlainMemberLeft() {
        activeWith("b");
        membership.onEnvelope(envelope(Kind.KICKED, "b"));
        Envelope expected = new Envelope(
                Kind.MEMBER_LEFT,
                ROOM,
                "b",
                ServerMessages.memberLeft(ROOM, "b").encode());
        assertEquals(List.of(expected), forwarded, "others learn only that b left, not the ban");
        assertFalse(membership.acceptsFrom("b"));
        assertTrue(removed.isEmpty());
        assertTrue(membership.active());
    }

    @Test
    void beingKickedEndsTheMembershipOnceAndDropsEverythingAfter() {
        activeWith("b");
        Envelope kicked = envelope(Kind.KICKED, SELF);
        membership.onEnvelope(kicked);
        assertEquals(List.of(kicked), forwarded, "the client is told it was kicked");
        assertEquals(List.of(membership), removed);
        assertFalse(membership.active());
        assertFalse(membership.hasMember("b"));
        assertFalse(membership.acceptsFrom("b"));
        membership.onEnvelope(kicked);
        membership.onEnvelope(chatFrom("b", "after"));
        membership.onEnvelope(envelope(Kind.ROOM_UPDATED, "b"));
        assertEquals(1, forwarded.size());
        assertEquals(1, removed.size(), "removed once");
    }

    /** A sweep reaches the client as a {@code member-left} (of another member, or of itself: it is out). */
    @Test
    void beingSweptEndsTheMembershipAndAnotherSweptMemberIsADeparture() {
        activeWith("b", "c");
        membership.onEnvelope(envelope(Kind.MEMBER_SWEPT, "b"));
        assertEquals(1, forwarded.size());
        assertEquals("member-left", forwarded.get(0).kind().messageType());
        assertEquals("b", forwarded.get(0).memberId());
        assertFalse(membership.acceptsFrom("b"));
        assertFalse(membership.hasMember("b"));
        assertTrue(removed.isEmpty());

        membership.onEnvelope(envelope(Kind.MEMBER_SWEPT, SELF));
        assertEquals(2, forwarded.size());
        assertEquals("member-left", forwarded.get(1).kind().messageType());
        assertEquals(SELF, forwarded.get(1).memberId());
        assertEquals(List.of(membership), removed);
        assertFalse(membership.active());
    }

    @Test
    void anEchoOfOurOwnEarlierLeaveDoesNotEndTheMembership() {
        activeWith("b");
        membership.onEnvelope(envelope(Kind.MEMBER_LEFT, SELF));
        assertTrue(membership.active());
        assertTrue(membership.acceptsFrom(SELF));
        assertTrue(forwarded.isEmpty());
        assertTrue(removed.isEmpty());
    }

    @Test
    void aKickThatArrivedWhileAdmissionWasPendingTakesEffectOnRelease() {
        Envelope kicked = envelope(Kind.KICKED, SELF);
        membership.onEnvelope(kicked);
        membership.activate(List.of(member("b")));
        assertTrue(removed.isEmpty());
        membership.releasePending();
        assertEquals(List.of(kicked), forwarded);
        assertEquals(List.of(membership), removed);
        assertFalse(membership.active());
    }

    @Test
    void updatesAreForwardedForMembersOnlyRoomUpdatesAlwaysAndSignalsNever() {
        activeWith("b");
        Envelope bUpdated = envelope(Kind.MEMBER_UPDATED, "b");
        Envelope roomUpdated = envelope(Kind.ROOM_UPDATED, "b");
        membership.onEnvelope(bUpdated);
        membership.onEnvelope(envelope(Kind.MEMBER_UPDATED, "stranger"));
        membership.onEnvelope(envelope(Kind.MEMBER_UPDATED, SELF));
        membership.onEnvelope(roomUpdated);
        membership.onEnvelope(envelope(Kind.SIGNAL, "b"));
        membership.onEnvelope(envelope(Kind.ROOM_CHANGED, "b"));
        assertEquals(List.of(bUpdated, roomUpdated), forwarded);
    }

    @Test
    void theDepartedAreRememberedBoundedOldestForgottenFirst() {
        activeWith();
        for (int i = 0; i <= 256; i++) membership.onEnvelope(envelope(Kind.MEMBER_LEFT, "gone-" + i));
        assertTrue(membership.acceptsFrom("gone-0"), "the oldest of 257 departures is forgotten");
        assertFalse(membership.acceptsFrom("gone-1"));
        assertFalse(membership.acceptsFrom("gone-256"));
    }

    @Test
    void unsubscribingCancelsTheListeningItWasGiven() {
        membership.unsubscribe(); // nothing to cancel yet: harmless
        int[] cancels = {0};
        membership.subscribedWith(() -> cancels[0]++);
        membership.unsubscribe();
        assertEquals(1, cancels[0]);
    }

    @Test
    void aResyncReplacesTheMembersAndIsForwarded() {
        activeWith("b", "c");
        Envelope resync = Envelope.roomResync(
                ROOM,
                ServerMessages.encode(
                        ServerMessages.roomResync(ROOM, List.of(member(SELF), member("b"), member("d")))));
        membership.onEnvelope(resync);
        assertEquals(List.of(resync), forwarded, "the client is told once, with the list");
        assertEquals(Set.of("b", "d"), Set.copyOf(membership.memberIds()), "itself aside");
        assertFalse(membership.acceptsFrom("c"), "who is not listed left: what it still sends is dropped");
        assertTrue(membership.acceptsFrom("d"), "a member the gap hid may speak");
        membership.onEnvelope(chatFrom("c", "late"));
        assertEquals(List.of(resync), forwarded);
    }
}
