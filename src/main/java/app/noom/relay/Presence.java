package app.noom.relay;

import app.noom.protocol.MemberInfo;
import app.noom.protocol.RoomCount;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Consumer;

/**
 * Who is in which room, as every node sees it. The single-node implementation keeps it in memory; the clustered one
 * keeps it where all nodes can read it. Admission (the room-size limit) is decided here, atomically.
 */
public interface Presence {

  /** Admits {@code member} unless the room already has {@code maxMembers}; the room exists from its first member. */
  Future<JoinOutcome> join(String room, MemberInfo member, int maxMembers);

  /** Removes the member; the room disappears with its last member. Leaving a room one is not in does nothing. */
  Future<Void> leave(String room, String memberId);

  /** Replaces what others see of a member (nickname, media state). */
  Future<Void> update(String room, MemberInfo member);

  /**
   * The member's session moved to this node (a resume from another node): same member, same rooms, new host, and no
   * head-count change. False if the member is no longer in the room.
   */
  Future<Boolean> rehost(String room, MemberInfo member);

  /** The live room list. */
  Future<List<RoomCount>> rooms();

  /** Called, in order, whenever a room's head-count changes (0 = the room is gone), whichever node changed it. */
  void onRoomCountChanged(Consumer<RoomCount> listener);

  sealed interface JoinOutcome {
    record Admitted(List<MemberInfo> others, int count) implements JoinOutcome {}

    record Full(int count) implements JoinOutcome {}
  }
}
