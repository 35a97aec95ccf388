package app.noom.integration.turn;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shipped {@code coturn.conf} as directives (comments and blanks dropped), plus address-range arithmetic. */
record CoturnConf(Path path, List<String> lines, List<String> directives) {

    static CoturnConf shipped() throws IOException {
        Path path = Path.of(System.getProperty("basedir", "."))
                .resolve("coturn.conf")
                .toAbsolutePath()
                .normalize();
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        List<String> directives = lines.stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        return new CoturnConf(path, lines, directives);
    }

    boolean has(String flag) {
        return directives.stream().anyMatch(d -> d.equals(flag) || d.startsWith(flag + "="));
    }

    List<String> values(String option) {
        return directives.stream()
                .filter(d -> d.startsWith(option + "="))
                .map(d -> d.substring(option.length() + 1).strip())
                .toList();
    }

    List<Range> deniedPeerRanges() {
        return values("denied-peer-ip").stream().map(Range::parse).toList();
    }

    /** An inclusive address range, in coturn's {@code ip[-ip]} syntax; v4 and v6 never mix. */
    record Range(String text, boolean v6, BigInteger min, BigInteger max) {
        static Range parse(String text) {
            String[] ends = text.split("-", 2);
            Address low = Address.parse(ends[0]);
            Address high = ends.length == 2 ? Address.parse(ends[1]) : low;
            if (low.v6() != high.v6()) throw new IllegalArgumentException("mixed families in " + text);
            return new Range(text, low.v6(), low.value(), high.value());
        }

        /** CIDR like "10.0.0.0/8" or "::ffff:0:0/96". */
        static Range cidr(String cidr) {
            String[] parts = cidr.split("/");
            Address base = Address.parse(parts[0]);
            int bits = base.v6() ? 128 : 32;
            int hostBits = bits - Integer.parseInt(parts[1]);
            BigInteger hostMask = BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
            BigInteger min = base.value().andNot(hostMask);
            return new Range(cidr, base.v6(), min, min.or(hostMask));
        }

        boolean covers(Range other) {
            return v6 == other.v6 && min.compareTo(other.min) <= 0 && max.compareTo(other.max) >= 0;
        }
    }

    /** An address literal as a number; IPv4-mapped IPv6 stays IPv6 (Java alone would turn it into IPv4). */
    record Address(boolean v6, BigInteger value) {
        static Address parse(String literal) {
            String text = literal.strip();
            boolean v6 = text.contains(":");
            byte[] bytes;
            try {
                if (!text.matches("[0-9A-Fa-f:.]+"))
                    throw new IllegalArgumentException("not an address literal: " + text);
                bytes = InetAddress.getByName(text).getAddress(); // a literal: parsed, never resolved
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bad address " + text, e);
            }
            if (v6 && bytes.length == 4) { // ::ffff:a.b.c.d came back as Inet4Address
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                bytes = mapped;
            }
            return new Address(v6, new BigInteger(1, bytes));
        }

        boolean isZero() {
            return value.signum() == 0;
        }
    }

    @Override
    public String toString() {
        return "CoturnConf[" + path + ", " + directives.size() + " directives]";
    }
}
