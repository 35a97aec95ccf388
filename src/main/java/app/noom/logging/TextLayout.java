package app.noom.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.Map;

/**
 * {@code LOG_FORMAT=text}: {@code 2026-01-02T03:04:05.678Z INFO  [thread] logger node=n-1 session=ab12 - message},
 * then the stack trace, if any. Times are UTC, as a cluster's nodes may not share a time zone.
 */
public final class TextLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160)
                .append(Instant.ofEpochMilli(event.getTimeStamp()))
                .append(' ')
                .append(String.format("%-5s", event.getLevel()))
                .append(" [")
                .append(event.getThreadName())
                .append("] ")
                .append(event.getLoggerName());
        for (Map.Entry<String, Object> field : LineFields.of(event).entrySet()) {
            line.append(' ').append(field.getKey()).append('=').append(field.getValue());
        }
        line.append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        String stackTrace = LineFields.stackTrace(event);
        if (stackTrace != null) line.append(stackTrace);
        return line.toString();
    }
}
