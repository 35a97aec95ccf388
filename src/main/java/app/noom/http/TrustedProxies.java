package app.noom.http;

import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code TRUSTED_PROXIES}: the address ranges of our own reverse proxies. A request whose TCP peer is one of them is
 * attributed to the address that proxy put into {@code X-Forwarded-For} — the right-most hop that is not itself a
 * trusted proxy, since everything to the left of it was written by the client and proves nothing. From any other peer
 * the header is ignored. Every per-address limit uses {@link #clientHost}: behind a proxy, the TCP peer is the proxy.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

    private record Range(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            for (int bit = 0; bit < prefixBits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) return false;
            }
            return true;
        }
    }

    private final List<Range> ranges;
    private final List<String> entries;

    private TrustedProxies(List<Range> ranges, List<String> entries) {
        this.ranges = ranges;
        this.entries = entries;
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /** Parses entries like {@code 10.0.0.0/8}, {@code 192.0.2.7} or {@code fd00::/8}; names are refused (no DNS here). */
    public static TrustedProxies parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) {
            String[] parts = entry.split("/", 2);
            byte[] address = literal(parts[0]);
            if (address == null)
                throw new IllegalArgumentException("TRUSTED_PROXIES: not an IP address or range: " + entry);
            int bits = address.length * 8;
            try {
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
                if (prefix < 0 || prefix > bits) throw new NumberFormatException();
                ranges.add(new Range(address, prefix));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("TRUSTED_PROXIES: bad prefix length in " + entry);
            }
        }
        return new TrustedProxies(List.copyOf(ranges), List.copyOf(entries));
    }

    public boolean trusts(String host) {
        byte[] address = literal(host);
        return address != null && ranges.stream().anyMatch(r -> r.contains(address));
    }

    /** The client's address as a host literal: the peer itself, or, from a trusted proxy, what it forwarded. */
    public String clientHost(SocketAddress peer, String forwardedFor) {
        String host = peerHost(peer);
        if (forwardedFor == null || ranges.isEmpty() || !trusts(host)) return host;
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            byte[] address = literal(hop);
            if (address == null) return host; // garbage where our proxy writes: do not guess, count the proxy
            if (!trusts(hop)) return normalized(address);
        }
        return normalized(literal(hops[0].trim())); // every hop is one of ours: the first is as close as we get
    }

    /** One spelling per address (IPv6 uncompressed, as Vert.x reports peers), so that limits count it once. */
    private static String normalized(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are an address", e);
        }
    }

    static String peerHost(SocketAddress peer) {
        if (peer == null) return "unknown";
        return peer.hostAddress() != null ? peer.hostAddress() : peer.host();
    }

    // compiled once: every connection's peer address goes through literal()
    private static final java.util.regex.Pattern IPV4_LITERAL =
            java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final java.util.regex.Pattern IPV6_LITERAL = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+");

    /** The bytes of an IPv4/IPv6 literal, or null for anything else (never a DNS lookup). */
    static byte[] literal(String text) {
        if (text == null || text.isEmpty()) return null;
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = IPV4_LITERAL.matcher(host).matches();
        boolean v6 = host.contains(":") && IPV6_LITERAL.matcher(host).matches();
        if (!v4 && !v6) return null;
        try {
            return InetAddress.getByName(host).getAddress(); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
