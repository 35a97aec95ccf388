package app.noom.fanout;

/**
 * What travels between sessions, inside a node through {@link NodeInboxes} and between nodes over the cluster relay: a server
 * message already encoded once ({@code json}, without {@code seq}) plus the few facts receivers route and filter on,
 * so no receiver has to parse the JSON again.
 *
 * @param kind what happened
 * @param room the room it concerns ("" for none)
 * @param memberId the member it is about or from
 * @param json the encoded server message
 * @param sentAtNanos when it entered this node's bus ({@link System#nanoTime()}), for the relay latency histogram;
 *     not part of its identity, not carried between nodes
 * @param origin the node that published it to the cluster (null: it never crossed Redis)
 * @param serial that node's publish counter for it
 */
public record Envelope(
        Kind kind, String room, String memberId, String json, long sentAtNanos, String origin, long serial) {

    public Envelope(Kind kind, String room, String memberId, String json) {
        this(kind, room, memberId, json, System.nanoTime());
    }

    public Envelope(Kind kind, String room, String memberId, String json, long sentAtNanos) {
        this(kind, room, memberId, json, sentAtNanos, null, 0);
    }

    /**
     * The sweeper removed {@code memberId} from {@code room} (its node was presumed dead). A fact, not a message: the room
     * layer words it for each receiver ({@code member-left}), so what removes members needs no protocol of its own.
     */
    public static Envelope memberSwept(String room, String memberId) {
        return new Envelope(Kind.MEMBER_SWEPT, room, memberId, "");
    }

    /** See {@link Kind#ROOM_RESYNC}; {@code json} is {@code ServerMessages.roomResync}'s message. */
    public static Envelope roomResync(String room, String json) {
        return new Envelope(Kind.ROOM_RESYNC, room, "", json);
    }

    /**
     * The same envelope as it came from the cluster: published by node {@code origin} as its {@code serial}-th message.
     * Per channel, one node's serials arrive in increasing order; a session moving between nodes uses them to receive
     * every message exactly once (see {@code DeliveryWatermarks}).
     */
    public Envelope fromCluster(String originNode, long originSerial) {
        return new Envelope(kind, room, memberId, json, sentAtNanos, originNode, originSerial);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Envelope e
                && kind == e.kind
                && room.equals(e.room)
                && memberId.equals(e.memberId)
                && json.equals(e.json);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, room, memberId, json);
    }

    public enum Kind {
        MEMBER_JOINED("member-joined"),
        MEMBER_LEFT("member-left"),
        MEMBER_UPDATED("member-updated"),
        CHAT("chat"),
        SIGNAL("signal"),
        ROOM_CHANGED("room-changed"),
        ROOM_UPDATED("room-updated"),
        KICKED("kicked"),
        /** A member removed by the sweeper (its node was presumed dead): for that member itself, it is out of the room. */
        MEMBER_SWEPT("member-left"),
        /**
         * This node's subscription to the room's channels was lost for a while (a Redis Cluster shard switch) and is back:
         * the room's members as presence has them now; messages of the gap may be missing. Only ever local.
         */
        ROOM_RESYNC("room-resync");

        private final String messageType;

        Kind(String messageType) {
            this.messageType = messageType;
        }

        /** The {@code type} of the server message this envelope carries. */
        public String messageType() {
            return messageType;
        }
    }

    private static final char SEPARATOR = '|';

    /** Compact text form between nodes: {@code kind|roomLength|room memberId|json}; the room is length-prefixed because it may contain any character. */
    public String encode() {
        return kind.ordinal() + "" + SEPARATOR + room.length() + SEPARATOR + room + memberId + SEPARATOR + json;
    }

    public static Envelope decode(String text) {
        int first = text.indexOf(SEPARATOR);
        Kind kind = Kind.values()[Integer.parseInt(text, 0, first, 10)];
        int second = text.indexOf(SEPARATOR, first + 1);
        int roomLength = Integer.parseInt(text, first + 1, second, 10);
        int roomEnd = second + 1 + roomLength;
        String room = text.substring(second + 1, roomEnd);
        int third = text.indexOf(SEPARATOR, roomEnd); // member ids never contain '|'
        return new Envelope(kind, room, text.substring(roomEnd, third), text.substring(third + 1));
    }
}
