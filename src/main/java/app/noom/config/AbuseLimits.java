package app.noom.config;

/**
 * Limits against abusive clients that are not part of the protocol's shape: per-session message rates (token buckets)
 * and how many connections one address may hold on a node. Read from the environment by {@link NoomConfig}.
 *
 * @param signals {@code signal} and {@code media}
 * @param chat {@code chat} and {@code nickname} (both fan out text to whole rooms)
 * @param joins {@code join}, {@code rooms-subscribe} and the host's room controls
 * @param maxConnectionsPerIp open WebSocket + SockJS connections per client address (IPv6: per /64); 0 = no limit
 */
public record AbuseLimits(Rate signals, Rate chat, Rate joins, int maxConnectionsPerIp) {

    /** A token bucket: {@code perSecond} tokens refill every second, at most {@code burst} are saved up; 0/s = no limit. */
    public record Rate(int perSecond, int burst) {
        public Rate {
            if (perSecond < 0 || burst < 0) throw new IllegalArgumentException("rates must not be negative");
            if (perSecond > 0) burst = Math.max(burst, 1);
        }

        public boolean unlimited() {
            return perSecond == 0;
        }
    }

    public static final AbuseLimits DEFAULTS = new AbuseLimits(new Rate(200, 400), new Rate(5, 10), new Rate(2, 5), 50);
}
