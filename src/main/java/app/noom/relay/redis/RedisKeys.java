package app.noom.relay.redis;

/**
 * Every Redis key and channel Noom uses (see docs/ARCHITECTURE.md). Room names may contain any printable character,
 * which Redis keys and channels accept as binary-safe strings. Public for the read-only admin view.
 */
public final class RedisKeys {
  private RedisKeys() {}

  static final String ROOM_CHANNEL_PREFIX = "noom:ch:room:";
  static final String MEMBER_CHANNEL_PREFIX = "noom:ch:member:";

  /** Pub/sub: envelopes for one room, subscribed only by nodes with members there. */
  static String roomChannel(String room) {
    return ROOM_CHANNEL_PREFIX + room;
  }

  /** Pub/sub: directed envelopes for one member, subscribed by the node hosting its session. */
  static String memberChannel(String memberId) {
    return MEMBER_CHANNEL_PREFIX + memberId;
  }

  /** Pub/sub: room head-count changes, subscribed by every node. */
  static final String ROOM_COUNTS_CHANNEL = "noom:ch:rooms";

  /**
   * List of envelopes sent to a member while no node hosted its session (its node died, or it was moving): kept
   * briefly so the node that resumes the session can deliver them.
   */
  static String orphans(String memberId) {
    return "noom:member:" + memberId + ":orphans";
  }

  /** Hash memberId → member JSON (with its node) for one room. */
  public static String roomMembers(String room) {
    return "noom:room:" + room + ":members";
  }

  /** SCAN pattern matching every room's members hash (private rooms included), and the way back to the room name. */
  public static final String ROOM_MEMBERS_PATTERN = "noom:room:*:members";

  public static String roomOfMembersKey(String key) {
    return key.substring("noom:room:".length(), key.length() - ":members".length());
  }

  /** Hash: host, locked, private, password (PBKDF2 hash): who may enter and who runs the room. */
  public static String roomPolicy(String room) {
    return "noom:room:" + room + ":policy";
  }

  /** Sorted set memberId → banned-until (epoch ms), after a kick. */
  static String roomBans(String room) {
    return "noom:room:" + room + ":bans";
  }

  /** Hash memberId → join token subject, for members that joined with one: a kick bans the person, not the session. */
  static String roomIdentities(String room) {
    return "noom:room:" + room + ":idents";
  }

  /** Hash room → head-count: the live room list. */
  static final String ROOM_COUNTS = "noom:rooms";

  /** Set of node ids that have ever heartbeated and not yet been swept. */
  public static final String NODES = "noom:nodes";

  /** String with a TTL, refreshed by the node's heartbeat; its expiry means the node is dead. */
  public static String nodeAlive(String nodeId) {
    return "noom:node:" + nodeId + ":alive";
  }

  /** Hash with a TTL, rewritten by the node's heartbeat: its sessions and message totals (for the admin view). */
  public static String nodeStats(String nodeId) {
    return "noom:node:" + nodeId + ":stats";
  }

  /** Set of "room NUL memberId" entries hosted by a node, for the sweeper. */
  /** Set by the node that swept {@code nodeId} (declared it dead): if it comes back, its members were removed. */
  static String nodeSwept(String nodeId) {
    return "noom:node:" + nodeId + ":swept";
  }

  /** Rooms a sweep removed {@code memberId} from, kept a while for its session's rebuild on another node. */
  static String memberSwept(String memberId) {
    return "noom:member:" + memberId + ":swept";
  }

  static String nodeMembers(String nodeId) {
    return "noom:node:" + nodeId + ":members";
  }

  /** Lock so that one surviving node sweeps a dead one. */
  static String sweepLock(String nodeId) {
    return "noom:node:" + nodeId + ":sweep";
  }

  static String nodeEntry(String room, String memberId) {
    return room + '\0' + memberId;
  }
}
