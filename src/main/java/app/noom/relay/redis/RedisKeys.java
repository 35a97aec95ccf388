package app.noom.relay.redis;

/**
 * Every Redis key and channel Noom uses (see docs/ARCHITECTURE.md, "Redis Cluster"). Keys and channels that one Lua
 * script touches together share a hash tag, so they live in one slot of a Redis Cluster: everything of a room is under
 * {@code {room:<name>}} (its members, policy, bans, identities, orphans, its channel and its members' directed
 * channels), a node's liveness under {@code {node:<id>}}. Redis hashes only the text between the first {@code {} and the
 * next {@code }}: a room name containing {@code }} still gives all its keys one slot. Room names may contain any
 * printable character, which keys and channels accept as binary-safe strings. Public for the read-only admin view.
 */
public final class RedisKeys {
    private RedisKeys() {}

    private static final String ROOM_PREFIX = "noom:{room:";
    private static final String ROOM_CHANNEL_SUFFIX = "}:ch";
    private static final String DIRECT_INFIX = "}:to:";

    private static String room(String room, String what) {
        return ROOM_PREFIX + room + "}:" + what;
    }

    /** Sharded channel: envelopes for one room, subscribed only by nodes with members there. */
    static String roomChannel(String room) {
        return ROOM_PREFIX + room + ROOM_CHANNEL_SUFFIX;
    }

    /**
     * Sharded channel: directed envelopes (signals, a kick's notice) for one member in one room, subscribed by the node
     * hosting the member while it is in the room. In the room's slot, so a signal is checked and published in the same
     * script as the room's membership, and travels the same shard as the room's joins and leaves.
     */
    static String directChannel(String room, String memberId) {
        return ROOM_PREFIX + room + DIRECT_INFIX + memberId;
    }

    /** Sharded channel nobody publishes on: subscribing it is a barrier on the room's shard (see RedisConnector). */
    static String roomBarrier(String room) {
        return ROOM_PREFIX + room + "}:barrier";
    }

    static boolean isRoomChannel(String channel) {
        return channel.startsWith(ROOM_PREFIX) && channel.endsWith(ROOM_CHANNEL_SUFFIX);
    }

    /** The member a directed channel is for, or null (member ids are generated and never contain {@code }}). */
    static String memberOfDirectChannel(String channel) {
        int at = channel.lastIndexOf(DIRECT_INFIX);
        if (!channel.startsWith(ROOM_PREFIX) || at < 0) return null;
        String member = channel.substring(at + DIRECT_INFIX.length());
        return member.isEmpty() || member.indexOf('}') >= 0 ? null : member;
    }

    /** The room of a room channel or of a member's directed channel in a room; null for any other channel. */
    static String roomOfChannel(String channel) {
        if (isRoomChannel(channel))
            return channel.substring(ROOM_PREFIX.length(), channel.length() - ROOM_CHANNEL_SUFFIX.length());
        if (memberOfDirectChannel(channel) == null) return null;
        return channel.substring(ROOM_PREFIX.length(), channel.lastIndexOf(DIRECT_INFIX));
    }

    /** Classic (not sharded) channel: room head-count changes, subscribed by every node; low volume. */
    static final String ROOM_COUNTS_CHANNEL = "noom:ch:rooms";

    /** Whether a channel is a sharded one (SSUBSCRIBE/SPUBLISH): all but the head-count channel. */
    static boolean isSharded(String channel) {
        return !ROOM_COUNTS_CHANNEL.equals(channel);
    }

    /**
     * List of envelopes sent to a member in a room while no node hosted its session (its node died, or it was moving):
     * kept briefly so the node that resumes the session can deliver them.
     */
    static String orphans(String room, String memberId) {
        return room(room, "orphans:" + memberId);
    }

    /** Hash memberId → member JSON (with its node) for one room. */
    public static String roomMembers(String room) {
        return room(room, "members");
    }

    /** SCAN pattern matching every room's members hash (private rooms included), and the way back to the room name. */
    public static final String ROOM_MEMBERS_PATTERN = "noom:{room:*}:members";

    public static String roomOfMembersKey(String key) {
        return key.substring(ROOM_PREFIX.length(), key.length() - "}:members".length());
    }

    /** Hash: host, locked, private, password (PBKDF2 hash): who may enter and who runs the room. */
    public static String roomPolicy(String room) {
        return room(room, "policy");
    }

    /** Sorted set memberId → banned-until (epoch ms), after a kick. */
    static String roomBans(String room) {
        return room(room, "bans");
    }

    /** Hash memberId → join token subject, for members that joined with one: a kick bans the person, not the session. */
    static String roomIdentities(String room) {
        return room(room, "idents");
    }

    /** Hash room → {@code version|count|locked|written at}: the live room list (see {@code RoomList}). */
    static final String ROOM_COUNTS = "noom:rooms";

    /** Counter numbering a room's changes of count and lock, for the room list; lives a day past the last change. */
    static String roomListVersion(String room) {
        return room(room, "listed");
    }

    /** Set of node ids that have ever heartbeated and not yet been swept. */
    public static final String NODES = "noom:nodes";

    private static String node(String nodeId, String what) {
        return "noom:{node:" + nodeId + "}:" + what;
    }

    /** String with a TTL, refreshed by the node's heartbeat; its expiry means the node is dead. */
    public static String nodeAlive(String nodeId) {
        return node(nodeId, "alive");
    }

    /** Hash with a TTL, rewritten by the node's heartbeat: its sessions and message totals (for the admin view). */
    public static String nodeStats(String nodeId) {
        return node(nodeId, "stats");
    }

    /** Set by the node that swept {@code nodeId} (declared it dead): if it comes back, its members were removed. */
    static String nodeSwept(String nodeId) {
        return node(nodeId, "swept");
    }

    /** Set of "room NUL memberId" entries hosted by a node, for the sweeper (kick.lua and rehost.lua build it too). */
    static String nodeMembers(String nodeId) {
        return node(nodeId, "members");
    }

    /** Lock so that one surviving node sweeps a dead one. */
    static String sweepLock(String nodeId) {
        return node(nodeId, "sweep");
    }

    /** Set of resume digests held by a node, for the sweeper. */
    static String nodeResumes(String nodeId) {
        return node(nodeId, "resumes");
    }

    /** Sharded channel: session claims between nodes (resume elsewhere), subscribed by that node, always. */
    static String nodeChannel(String nodeId) {
        return node(nodeId, "ch");
    }

    /** Hash: node, member id, nickname, grants of a resumable session. */
    static String resumeKey(String digest) {
        return "noom:resume:" + digest;
    }

    /** Rooms a sweep removed {@code memberId} from, kept a while for its session's rebuild on another node. */
    static String memberSwept(String memberId) {
        return "noom:{member:" + memberId + "}:swept";
    }

    static String nodeEntry(String room, String memberId) {
        return room + '\0' + memberId;
    }
}
