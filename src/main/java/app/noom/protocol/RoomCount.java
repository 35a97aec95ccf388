package app.noom.protocol;

/** One line of the live room list. */
public record RoomCount(String room, int count) {}
