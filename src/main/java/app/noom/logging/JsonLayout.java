package app.noom.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * {@code LOG_FORMAT=json}: one JSON object per line, {@code ts level logger thread message}, then {@code node},
 * {@code session} when known and the line's other key-values, then {@code exception} (the stack trace) if any.
 * Messages are escaped by the JSON encoder: a newline in a message cannot start a forged line.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        JsonObject line = new JsonObject()
                .put("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString())
                .put("level", event.getLevel().toString())
                .put("logger", event.getLoggerName())
                .put("thread", event.getThreadName())
                .put("message", event.getFormattedMessage());
        for (Map.Entry<String, Object> field : LineFields.of(event).entrySet()) {
            Object value = field.getValue();
            line.put(
                    field.getKey(),
                    value instanceof Number || value instanceof Boolean ? value : String.valueOf(value));
        }
        String stackTrace = LineFields.stackTrace(event);
        if (stackTrace != null) line.put("exception", stackTrace);
        return line.encode() + CoreConstants.LINE_SEPARATOR;
    }
}
