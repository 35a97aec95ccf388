package app.noom.logging;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.config.LogSettings;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@code LOG_LEVEL} and {@code LOG_FORMAT} do to a Logback context. */
class LogSetupTest {

    private static LoggerContext configured(LogSettings settings) {
        LoggerContext context = new LoggerContext();
        LogSetup.apply(context, settings);
        return context;
    }

    @ParameterizedTest
    @CsvSource({"ERROR,ERROR,ERROR", "WARN,WARN,WARN", "INFO,INFO,INFO", "DEBUG,DEBUG,INFO", "TRACE,TRACE,INFO"})
    void noomGetsTheLevelAndLibrariesGetInfoOrStricter(LogSettings.Level level, String noom, String libraries) {
        LoggerContext context = configured(new LogSettings(LogSettings.Format.TEXT, level));
        assertEquals(
                Level.toLevel(noom),
                context.getLogger("app.noom.session.SessionRooms").getEffectiveLevel());
        assertEquals(
                Level.toLevel(libraries),
                context.getLogger("io.netty.buffer.ByteBufUtil").getEffectiveLevel());
    }

    @Test
    void oneConsoleAppender() {
        Logger root = configured(LogSettings.DEFAULTS).getLogger(Logger.ROOT_LOGGER_NAME);
        assertNotNull(root.getAppender(LogSetup.CONSOLE));
    }

    /** Vert.x's re-registration of its own connection gauges is harmless (see KnownHarmlessWarnings); Noom's is not. */
    @Test
    void onlyVertxsGaugeReRegistrationWarningIsDropped() {
        LoggerContext context = configured(LogSettings.DEFAULTS);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.setContext(context);
        seen.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(seen);
        Logger micrometer = context.getLogger("io.micrometer.core.instrument.MeterRegistry");

        micrometer.warn(
                "This Gauge has been already registered (MeterId{name='vertx.http.server.active.connections', "
                        + "tags=[]}), the registration will be ignored. Note that subsequent logs will be logged at debug level.");
        micrometer.warn(
                "This Gauge has been already registered (MeterId{name='noom.sessions', tags=[]}), the registration "
                        + "will be ignored. Note that subsequent logs will be logged at debug level.");
        context.getLogger("io.vertx.core.Other")
                .warn("This Gauge has been already registered (MeterId{name='vertx.x'}");

        List<String> messages =
                seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(2, messages.size(), messages.toString());
        assertTrue(messages.get(0).contains("noom.sessions"), messages.toString());
    }
}
