package app.noom.relay;

/** A member's message reached the cluster after its sender had left the room (kicked, swept): nobody received it. */
public final class NotInRoomException extends RuntimeException {
    public NotInRoomException(String room) {
        super("not in room '" + room + "'", null, false, false);
    }
}
