package app.noom.fanout;

/** The only place in-node addresses ({@link NodeInboxes}) are built. Redis channel names are RedisKeys' business. */
public final class Addresses {
    public static final String ROOM_LIST = "noom.rooms";
    /** Published once when the node starts draining (SIGTERM). */
    public static final String DRAIN = "noom.drain";

    private static final String ROOM_PREFIX = "noom.room.";
    private static final String MEMBER_PREFIX = "noom.member.";

    private Addresses() {}

    public static String room(String room) {
        return ROOM_PREFIX + room;
    }

    public static String member(String memberId) {
        return MEMBER_PREFIX + memberId;
    }
}
