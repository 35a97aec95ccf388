package app.noom.protocol;

/** One line of the live room list: its head-count and whether the host locked it (newcomers are refused). */
public record RoomCount(String room, int count, boolean locked) {
    /** An unlocked room. */
    public RoomCount(String room, int count) {
        this(room, count, false);
    }
}
