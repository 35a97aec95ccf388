package app.noom.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one key every per-address limit counts a client under: an IPv4 address as it is, an IPv6 address as its /64
 * (one subscriber usually holds the whole prefix, so counting single addresses would let it take 2^64 turns).
 */
public final class AddressKey {
    private AddressKey() {}

    /** {@code address}: a host ({@code 192.0.2.7}, {@code 2001:db8::1}, {@code [2001:db8::1]}) or host:port. */
    public static String of(String address) {
        if (address == null || address.isEmpty()) return "unknown";
        String host = hostOnly(address);
        if (!host.contains(":")) return host;
        try { // an IPv6 literal (it has a colon): parsed, never looked up
            byte[] bytes = InetAddress.getByName(host).getAddress();
            if (bytes.length != 16) return host;
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) prefix.append(String.format("%02x%02x:", bytes[i], bytes[i + 1]));
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return host;
        }
    }

    private static String hostOnly(String address) {
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            return end > 0 ? address.substring(1, end) : address.substring(1);
        }
        int colon = address.indexOf(':');
        boolean ipv4WithPort = colon >= 0 && colon == address.lastIndexOf(':');
        return ipv4WithPort ? address.substring(0, colon) : address;
    }
}
