package app.noom.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/PROTOCOL.md is the truth of the wire protocol: its table of client message types and MessageType agree. */
class MessageTypeTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\| [^|]+ \\| (yes|no) \\| ([a-z]+) \\|$");

    @Test
    void theProtocolDocumentsEveryTypeWithItsOrderAndRateBucket() throws Exception {
        Map<String, String> documented = documentedTypes();
        Map<String, String> implemented = new LinkedHashMap<>();
        for (MessageType type : MessageType.values()) {
            implemented.put(
                    type.wire(),
                    (type.isBarrier() ? "yes" : "no") + " " + type.rate().name().toLowerCase(Locale.ROOT));
        }
        assertEquals(implemented, documented);
    }

    @Test
    void wireNamesMapBackToTheirTypeAndNothingElseDoes() {
        for (MessageType type : MessageType.values())
            assertEquals(type, MessageType.fromWire(type.wire()).orElseThrow());
        Stream.of("HELLO", "pong", "welcome", "", "join ")
                .forEach(name -> assertFalse(MessageType.fromWire(name).isPresent(), name));
    }

    private static Map<String, String> documentedTypes() throws Exception {
        String doc = Files.readString(Path.of("docs/PROTOCOL.md"));
        int start = doc.indexOf("### Client message types");
        assertTrue(start >= 0, "PROTOCOL.md has a table of client message types");
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : doc.substring(start, doc.indexOf("\n#", start + 1)).split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) rows.put(row.group(1), row.group(2) + " " + row.group(3));
        }
        return rows;
    }
}
