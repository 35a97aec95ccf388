package app.noom.logging;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** The two line formats, on events built as SLF4J's fluent API builds them. */
class LogLayoutsTest {
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("app.noom.session.SessionRooms");

    private LoggingEvent event(Level level, String message, Throwable error, Object... params) {
        LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, level, message, error, params);
        event.setTimeStamp(1_767_323_045_678L); // 2026-01-02T03:04:05.678Z
        return event;
    }

    @Test
    void jsonIsOneObjectPerLineWithTheSessionAndNodeGiven() {
        LoggingEvent event = event(Level.WARN, "leaving room failed: {}", null, "timeout\nforged line");
        event.addKeyValuePair(new KeyValuePair(LogFields.SESSION, "m-abc"));
        event.addKeyValuePair(new KeyValuePair(LogFields.NODE, "n-1"));
        String line = new JsonLayout().doLayout(event);

        assertTrue(
                line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line, even with a newline inside");
        JsonObject json = new JsonObject(line);
        assertEquals("2026-01-02T03:04:05.678Z", json.getString("ts"));
        assertEquals("WARN", json.getString("level"));
        assertEquals("app.noom.session.SessionRooms", json.getString("logger"));
        assertEquals("leaving room failed: timeout\nforged line", json.getString("message"));
        assertEquals("m-abc", json.getString("session"));
        assertEquals("n-1", json.getString("node"));
        assertFalse(json.containsKey("exception"));
    }

    @Test
    void jsonCarriesTheStackTrace() {
        String line = new JsonLayout().doLayout(event(Level.ERROR, "unexpected", new IllegalStateException("boom")));
        String trace = new JsonObject(line).getString("exception");
        assertTrue(
                trace.startsWith("java.lang.IllegalStateException: boom") && trace.contains("at app.noom.logging"),
                trace);
    }

    @Test
    void aLineAboutNoSessionHasNoSessionField() {
        JsonObject json = new JsonObject(new JsonLayout().doLayout(event(Level.INFO, "plain", null)));
        assertFalse(json.containsKey("session"), json::encode);
    }

    @Test
    void textIsOneReadableLineWithNodeAndSession() {
        LoggingEvent event = event(Level.INFO, "session opened", null);
        event.addKeyValuePair(new KeyValuePair(LogFields.SESSION, "m-abc"));
        event.addKeyValuePair(new KeyValuePair(LogFields.NODE, "n-1"));
        String line = new TextLayout().doLayout(event);
        assertEquals(
                "2026-01-02T03:04:05.678Z INFO  [" + Thread.currentThread().getName()
                        + "] app.noom.session.SessionRooms node=n-1 session=m-abc - session opened\n",
                line);
    }

    @Test
    void textAppendsTheStackTrace() {
        String text = new TextLayout().doLayout(event(Level.ERROR, "unexpected", new IllegalStateException("boom")));
        assertTrue(text.contains(" - unexpected\njava.lang.IllegalStateException: boom\n"), text);
    }
}
