package app.noom.relay;

/**
 * No node of the cluster knows a presented resume token: what a guesser gets. Only this counts towards an address's
 * resume throttle — a real token whose claim failed (a hand-over that timed out, a holder that died) must not lock
 * out the other clients behind the same address.
 */
public final class UnknownResumeTokenException extends RuntimeException {
    public UnknownResumeTokenException() {
        super("unknown resume token", null, false, false);
    }
}
