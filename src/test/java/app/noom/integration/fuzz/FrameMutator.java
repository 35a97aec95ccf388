package app.noom.integration.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutation fuzzer for protocol frames: starts from valid messages of every client type and applies one to three
 * mutations — bit flips, truncation, byte-range edits, duplicated keys, values of the wrong type, huge and odd numbers,
 * deep nesting, unusual unicode, raw control characters, oversize fields, many or long keys, type swaps, missing fields,
 * wrapping and splicing. Deterministic for a given seed. Frames stay below 210,000 characters, so that no frame reaches
 * the transport's 262,144-byte ceiling (which closes the connection; tested separately).
 */
final class FrameMutator {
    static final String ID = "\"<ID>\"";

    private static final String[] TYPES = {
        "hello",
        "ping",
        "nickname",
        "rooms-subscribe",
        "rooms-unsubscribe",
        "join",
        "leave",
        "media",
        "signal",
        "chat",
        "lock",
        "kick",
        "host",
        "",
        "PING",
        "bye ",
        "signal\u0000",
        "__proto__"
    };
    private static final String[] TOKENS = {
        "{",
        "}",
        "[",
        "]",
        "\"",
        ":",
        ",",
        "\\",
        "\\u",
        "\\uD800",
        "null",
        "true",
        "false",
        "1e999",
        "-",
        "0",
        "\u0000",
        "\n",
        "\t",
        "/*",
        "//",
        "'",
        "NaN",
        "Infinity",
        "\"\":\"\"",
        "{}",
        "[]"
    };
    private static final String[] NUMBERS = {
        "1e309",
        "-1e309",
        "123456789012345678901234567890",
        "-9223372036854775809",
        "9223372036854775807",
        "2147483648",
        "-0",
        "0.0000001",
        "1.5",
        "1E2",
        "-1",
        "0",
        "1.0000000000000001",
        "1e-400",
        "4294967296",
        "100000000000000000000000000000000000000000000000000000000000"
    };
    private static final String[] ODD_CHARS = {
        "\u0000",
        "\u0001",
        "\u001f",
        "\u007f",
        "\u0085",
        "\u00a0",
        "\u200b",
        "\u200e",
        "\u202e",
        "\u2028",
        "\u2029",
        "\ufeff",
        "\ufffd",
        "\uffff",
        "\ud83d\ude00",
        "\ud800",
        "\udfff",
        "\u0301\u0301\u0301",
        "\\u0000",
        "\\ud800",
        "\\udc00\\ud800",
        "\\u202e",
        "\\\\",
        "\\\"",
        "\u4e2d\u6587",
        "\u0645\u0631\u062d\u0628\u0627",
        "</script><script>alert(1)</script>",
        "'; DROP TABLE rooms; --",
        "%s%n%x",
        "${jndi:ldap://x/a}"
    };

    private final SplittableRandom random;
    private final List<String> seeds;

    FrameMutator(long seed, String sharedRoom, String bystanderId) {
        this.random = new SplittableRandom(seed);
        this.seeds = seeds(sharedRoom, bystanderId);
    }

    /** Valid messages of every client type (bye excluded: it ends the connection); {@link #ID} marks the id. */
    static List<String> seeds(String room, String bystander) {
        String r = JsonObject.of("room", room).encode();
        r = r.substring(1, r.length() - 1); // "room":"…"
        String to = "\"to\":\"" + bystander + "\"";
        return List.of(
                "{\"type\":\"ping\",\"id\":" + ID + "}",
                "{\"type\":\"chat\",\"id\":" + ID + "," + r
                        + ",\"text\":\"hello <b>all</b> \u00e9\u00e8 \ud83d\ude00\"}",
                "{\"type\":\"signal\",\"id\":" + ID + "," + r + "," + to
                        + ",\"kind\":\"offer\",\"payload\":{\"type\":\"offer\","
                        + "\"sdp\":\"v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n\"}}",
                "{\"type\":\"signal\",\"id\":" + ID + "," + r + "," + to
                        + ",\"kind\":\"candidate\",\"payload\":{\"candidate\":"
                        + "\"candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}",
                "{\"type\":\"signal\",\"id\":" + ID + "," + r + "," + to
                        + ",\"kind\":\"renegotiate\",\"payload\":{\"reason\":"
                        + "\"ice-failed\"},\"from\":\"m-forged\"}",
                "{\"type\":\"media\",\"id\":" + ID + "," + r
                        + ",\"audioMuted\":true,\"videoOff\":false,\"screen\":false}",
                "{\"type\":\"nickname\",\"id\":" + ID + ",\"nickname\":\"Ada L.\"}",
                "{\"type\":\"join\",\"id\":" + ID + ",\"room\":\"elsewhere\"}",
                "{\"type\":\"join\",\"id\":" + ID + "," + r + "}",
                "{\"type\":\"join\",\"id\":" + ID + ",\"room\":\"priv\",\"password\":\"s3cret\",\"private\":true}",
                "{\"type\":\"leave\",\"id\":" + ID + ",\"room\":\"elsewhere\"}",
                "{\"type\":\"leave\",\"id\":" + ID + "," + r + "}",
                "{\"type\":\"rooms-subscribe\",\"id\":" + ID + "}",
                "{\"type\":\"rooms-unsubscribe\",\"id\":" + ID + "}",
                "{\"type\":\"hello\",\"id\":" + ID + ",\"version\":1,\"nickname\":\"Ada\"}",
                "{\"type\":\"hello\",\"id\":" + ID + ",\"version\":1,\"nickname\":\"Ada\",\"resume\":{\"token\":"
                        + "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"lastSeq\":41}}",
                "{\"type\":\"lock\",\"id\":" + ID + "," + r + ",\"locked\":true}",
                "{\"type\":\"kick\",\"id\":" + ID + "," + r + ",\"member\":\"" + bystander + "\"}",
                "{\"type\":\"host\",\"id\":" + ID + "," + r + ",\"member\":\"" + bystander + "\"}");
    }

    /** A frame: a seed with {@code id} set, unchanged one time in ten, otherwise mutated one to three times. */
    String next(long id) {
        String frame = seeds.get(random.nextInt(seeds.size())).replace(ID, Long.toString(id));
        if (random.nextInt(10) == 0) return frame;
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) frame = mutate(frame);
        return frame.length() > 210_000 ? frame.substring(0, 210_000) : frame;
    }

    private String mutate(String s) {
        switch (random.nextInt(22)) {
            case 0, 1:
                return flipBit(s);
            case 2:
                return s.isEmpty() ? s : s.substring(0, random.nextInt(s.length()));
            case 3:
                return insertAt(s, TOKENS[random.nextInt(TOKENS.length)]);
            case 4:
                return deleteRange(s);
            case 5:
                return duplicateRange(s);
            case 6, 7:
                return duplicateKey(s);
            case 8, 9:
                return wrongType(s);
            case 10:
                return hugeNumber(s);
            case 11:
                return deepNesting(s);
            case 12, 13:
                return oddCharacters(s);
            case 14:
                return insertAt(s, Character.toString((char) random.nextInt(0x20))); // raw control character
            case 15:
                return random.nextInt(20) == 0 ? oversize(s) : flipBit(s);
            case 16:
                return manyOrLongKeys(s);
            case 17:
                return swapType(s);
            case 18:
                return removeField(s);
            case 19:
                return wrap(s);
            case 20:
                return splice(s);
            default:
                return oddId(s);
        }
    }

    private String flipBit(String s) {
        if (s.isEmpty()) return "\u0001";
        int at = random.nextInt(s.length());
        int bit = random.nextInt(4) == 0 ? random.nextInt(16) : random.nextInt(7);
        char[] chars = s.toCharArray();
        chars[at] = (char) (chars[at] ^ (1 << bit));
        return new String(chars);
    }

    private String insertAt(String s, String token) {
        int at = random.nextInt(s.length() + 1);
        return s.substring(0, at) + token + s.substring(at);
    }

    private String deleteRange(String s) {
        if (s.length() < 2) return "";
        int from = random.nextInt(s.length());
        int to = Math.min(s.length(), from + 1 + random.nextInt(16));
        return s.substring(0, from) + s.substring(to);
    }

    private String duplicateRange(String s) {
        if (s.isEmpty()) return s;
        int from = random.nextInt(s.length());
        int to = Math.min(s.length(), from + 1 + random.nextInt(32));
        return s.substring(0, to) + s.substring(from, to) + s.substring(to);
    }

    /** A key that is already there, repeated with another value (textually: JSON objects would merge it). */
    private String duplicateKey(String s) {
        JsonObject json = parse(s);
        if (json == null || json.isEmpty() || !s.startsWith("{")) return insertAt(s, ",\"type\":\"chat\"");
        List<String> keys = new ArrayList<>(json.fieldNames());
        String key = keys.get(random.nextInt(keys.size()));
        String value = random.nextBoolean()
                ? JsonObject.of("v", json.getValue(key)).encode()
                : "{\"v\":" + randomValue() + "}";
        value = value.substring(5, value.length() - 1);
        String pair = new JsonObject().put(key, "").encode();
        pair = pair.substring(1, pair.length() - 3) + value; // "key":value
        return random.nextBoolean()
                ? "{" + pair + "," + s.substring(1)
                : s.substring(0, s.length() - 1) + "," + pair + "}";
    }

    private String wrongType(String s) {
        JsonObject json = parse(s);
        if (json == null || json.isEmpty()) return flipBit(s);
        List<String> keys = new ArrayList<>(json.fieldNames());
        String key = keys.get(random.nextInt(keys.size()));
        String encoded = json.copy().put(key, "__VALUE__").encode();
        return encoded.replace("\"__VALUE__\"", randomValue());
    }

    private String randomValue() {
        return switch (random.nextInt(9)) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> NUMBERS[random.nextInt(NUMBERS.length)];
            case 3 -> "\"" + ODD_CHARS[random.nextInt(ODD_CHARS.length)].replace("\"", "\\\"") + "\"";
            case 4 -> "[]";
            case 5 -> "{}";
            case 6 -> "[1,\"two\",{\"three\":3},null]";
            case 7 -> "\"\"";
            default -> Integer.toString(random.nextInt());
        };
    }

    private String hugeNumber(String s) {
        JsonObject json = parse(s);
        String key = random.nextInt(3) == 0 || json == null
                ? "id"
                : new String[] {"version", "lastSeq", "id", "sdpMLineIndex", "audioMuted"}[random.nextInt(5)];
        String number = NUMBERS[random.nextInt(NUMBERS.length)];
        if (json == null) return insertAt(s, number);
        return json.copy().put(key, "__N__").encode().replace("\"__N__\"", number);
    }

    private String deepNesting(String s) {
        int depth = new int[] {64, 200, 999, 1000, 1001, 1500, 3000, 20000}[random.nextInt(8)];
        boolean arrays = random.nextBoolean();
        StringBuilder nest = new StringBuilder(depth * 6);
        for (int i = 0; i < depth; i++) nest.append(arrays ? "[" : "{\"a\":");
        nest.append("1");
        for (int i = 0; i < depth; i++) nest.append(arrays ? "]" : "}");
        if (random.nextInt(4) == 0) nest.setLength(nest.length() - depth / 2); // unbalanced
        JsonObject json = parse(s);
        if (json == null) return insertAt(s, nest.toString());
        String key = random.nextBoolean() || json.isEmpty()
                ? "payload"
                : new ArrayList<>(json.fieldNames()).get(random.nextInt(json.size()));
        return json.copy().put(key, "__NEST__").encode().replace("\"__NEST__\"", nest);
    }

    private String oddCharacters(String s) {
        String odd = ODD_CHARS[random.nextInt(ODD_CHARS.length)];
        JsonObject json = parse(s);
        if (json == null || json.isEmpty() || random.nextInt(3) == 0) return insertAt(s, odd);
        List<String> keys = new ArrayList<>(json.fieldNames());
        String key = keys.get(random.nextInt(keys.size()));
        Object value = json.getValue(key);
        String text = (value instanceof String str ? str : "x") + odd;
        if (odd.contains("\\")) { // a JSON escape: splice it in textually
            String marker = "__ODD__";
            return json.copy().put(key, text.replace(odd, marker)).encode().replace(marker, odd);
        }
        return json.copy().put(key, text).encode();
    }

    private String oversize(String s) {
        int size = new int[] {65_537, 70_000, 100_000, 200_000}[random.nextInt(4)];
        JsonObject json = parse(s);
        String pad = "p".repeat(size);
        if (json == null) return s + pad;
        return json.copy().put(random.nextBoolean() ? "text" : "pad", pad).encode();
    }

    private String manyOrLongKeys(String s) {
        JsonObject json = parse(s);
        if (json == null) return flipBit(s);
        JsonObject copy = json.copy();
        if (random.nextBoolean()) for (int i = 0; i < 300; i++) copy.put("k" + i, i);
        else copy.put("k".repeat(4_000), "long key");
        return copy.encode();
    }

    private String swapType(String s) {
        JsonObject json = parse(s);
        if (json == null) return flipBit(s);
        return json.copy().put("type", TYPES[random.nextInt(TYPES.length)]).encode();
    }

    private String removeField(String s) {
        JsonObject json = parse(s);
        if (json == null || json.isEmpty()) return flipBit(s);
        JsonObject copy = json.copy();
        copy.remove(new ArrayList<>(json.fieldNames()).get(random.nextInt(json.size())));
        return copy.encode();
    }

    private String wrap(String s) {
        return switch (random.nextInt(8)) {
            case 0 -> "[" + s + "]";
            case 1 -> s + s;
            case 2 -> "  \n\t" + s + "\r\n ";
            case 3 -> "";
            case 4 -> "null";
            case 5 -> "\"" + s.replace("\"", "\\\"") + "\"";
            case 6 -> new JsonArray().add(s).encode();
            default -> s + "garbage";
        };
    }

    private String splice(String s) {
        String other = seeds.get(random.nextInt(seeds.size()));
        int a = random.nextInt(s.length() + 1);
        int b = random.nextInt(other.length() + 1);
        return s.substring(0, a) + other.substring(b);
    }

    private String oddId(String s) {
        JsonObject json = parse(s);
        if (json == null) return flipBit(s);
        String id = switch (random.nextInt(7)) {
            case 0 -> "\"" + "i".repeat(65) + "\"";
            case 1 -> "\"\"";
            case 2 -> "-1";
            case 3 -> "1.5";
            case 4 -> "{\"id\":1}";
            case 5 -> "[1]";
            default -> "\"c" + random.nextInt(1000) + "\"";
        };
        return json.copy().put("id", "__ID__").encode().replace("\"__ID__\"", id);
    }

    private static JsonObject parse(String s) {
        try {
            return new JsonObject(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
