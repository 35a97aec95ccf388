package app.noom.relay.redis;

/**
 * Every Redis key and channel Noom uses (see docs/ARCHITECTURE.md). Room names may contain any printable character,
 * which Redis keys and channels accept as binary-safe strings.
 */
final class RedisKeys {
  private RedisKeys() {}

  /** Pub/sub: envelopes for one room, subscribed only by nodes with members there. */
  static String roomChannel(String room) {
    return "noom:ch:room:" + room;
  }

  /** Pub/sub: directed envelopes for one member, subscribed by the node hosting its session. */
  static String memberChannel(String memberId) {
    return "noom:ch:member:" + memberId;
  }

  /** Pub/sub: room head-count changes, subscribed by every node. */
  static final String ROOM_COUNTS_CHANNEL = "noom:ch:rooms";

  /** Hash memberId → member JSON (with its node) for one room. */
  static String roomMembers(String room) {
    return "noom:room:" + room + ":members";
  }

  /** Hash: host, locked, private, password (PBKDF2 hash): who may enter and who runs the room. */
  static String roomPolicy(String room) {
    return "noom:room:" + room + ":policy";
  }

  /** Sorted set memberId → banned-until (epoch ms), after a kick. */
  static String roomBans(String room) {
    return "noom:room:" + room + ":bans";
  }

  /** Hash room → head-count: the live room list. */
  static final String ROOM_COUNTS = "noom:rooms";

  /** Set of node ids that have ever heartbeated and not yet been swept. */
  static final String NODES = "noom:nodes";

  /** String with a TTL, refreshed by the node's heartbeat; its expiry means the node is dead. */
  static String nodeAlive(String nodeId) {
    return "noom:node:" + nodeId + ":alive";
  }

  /** Set of "room NUL memberId" entries hosted by a node, for the sweeper. */
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
