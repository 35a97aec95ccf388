package app.noom.protocol;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one table of client message types: each type's wire name, which rate it draws on, and whether later requests of
 * the same session wait for its answer. Everything that dispatches on a type switches over this enum without a
 * default, so a new type that someone forgets to handle does not compile.
 */
public enum MessageType {
    HELLO("hello", Rate.NONE, Order.BARRIER),
    PING("ping", Rate.NONE, Order.FREE),
    BYE("bye", Rate.NONE, Order.BARRIER),
    NICKNAME("nickname", Rate.CHAT, Order.FREE),
    ROOMS_SUBSCRIBE("rooms-subscribe", Rate.JOINS, Order.BARRIER),
    ROOMS_UNSUBSCRIBE("rooms-unsubscribe", Rate.NONE, Order.FREE),
    JOIN("join", Rate.JOINS, Order.BARRIER),
    LOCK("lock", Rate.JOINS, Order.BARRIER),
    KICK("kick", Rate.JOINS, Order.BARRIER),
    HOST("host", Rate.JOINS, Order.BARRIER),
    LEAVE("leave", Rate.NONE, Order.BARRIER),
    MEDIA("media", Rate.SIGNALS, Order.FREE),
    SIGNAL("signal", Rate.SIGNALS, Order.FREE),
    CHAT("chat", Rate.CHAT, Order.FREE);

    /**
     * The per-session token bucket a type draws on. Types answered only to the sender and cheap to serve (hello, ping,
     * bye, leave, rooms-unsubscribe) draw on none.
     */
    public enum Rate {
        NONE,
        SIGNALS,
        CHAT,
        JOINS
    }

    /**
     * BARRIER: the outcome is decided by a cluster round trip and later requests depend on it, so nothing after it runs
     * until it is answered. FREE: decided at once from the session's own state; answered in order all the same.
     */
    public enum Order {
        BARRIER,
        FREE
    }

    private static final Map<String, MessageType> BY_WIRE =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(MessageType::wire, Function.identity()));

    private final String wire;
    private final Rate rate;
    private final Order order;

    MessageType(String wire, Rate rate, Order order) {
        this.wire = wire;
        this.rate = rate;
        this.order = order;
    }

    public String wire() {
        return wire;
    }

    public Rate rate() {
        return rate;
    }

    public boolean isBarrier() {
        return order == Order.BARRIER;
    }

    public static Optional<MessageType> fromWire(String name) {
        return Optional.ofNullable(BY_WIRE.get(name));
    }
}
