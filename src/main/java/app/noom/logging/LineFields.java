package app.noom.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/** What both layouts print besides time, level, logger and message: node first, then the line's own key-values. */
final class LineFields {
    private LineFields() {}

    /** Insertion-ordered: node, session, then any other key-value pairs of the event. */
    static Map<String, Object> of(ILoggingEvent event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(LogFields.NODE, null); // keeps node first
        fields.put(LogFields.SESSION, null);
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) fields.put(pair.key, pair.value);
        }
        if (fields.get(LogFields.NODE) == null) fields.put(LogFields.NODE, NodeIds.current());
        fields.values().removeIf(v -> v == null);
        return fields;
    }

    /** The stack trace as a console shows it, or null. */
    static String stackTrace(ILoggingEvent event) {
        return event.getThrowableProxy() == null ? null : ThrowableProxyUtil.asString(event.getThrowableProxy());
    }
}
