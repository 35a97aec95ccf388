package app.noom.logging;

import app.noom.config.LogSettings;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures Logback from {@code LOG_FORMAT} and {@code LOG_LEVEL} (found by Logback through
 * {@code META-INF/services}), so the image needs no XML file and the settings are the ones the configuration check
 * validates. An operator who wants a file of their own still can: {@code -Dlogback.configurationFile=...} wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** The console appender's name, for whoever needs to find it (the tests' log capture). */
    public static final String CONSOLE = "CONSOLE";
    /** Noom's own loggers; {@code LOG_LEVEL} sets theirs. */
    public static final String NOOM_LOGGERS = "app.noom";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        apply(context, LogSettings.fromEnvOrDefaults(System.getenv()));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** One console appender on stdout in the chosen format; Noom at the chosen level, libraries at info or stricter. */
    public static void apply(LoggerContext context, LogSettings settings) {
        LayoutBase<ILoggingEvent> layout =
                settings.format() == LogSettings.Format.JSON ? new JsonLayout() : new TextLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setName(CONSOLE);
        console.setContext(context);
        console.setEncoder(encoder);
        console.start();
        KnownHarmlessWarnings harmless = new KnownHarmlessWarnings();
        harmless.setContext(context);
        harmless.start();
        context.addTurboFilter(harmless);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(console);
        Level noom = Level.toLevel(settings.level().name());
        // a library's debug output (Netty's start-up probes, ...) is not what an operator debugging Noom wants
        root.setLevel(noom.isGreaterOrEqual(Level.INFO) ? noom : Level.INFO);
        context.getLogger(NOOM_LOGGERS).setLevel(noom);
    }

    /**
     * Sends java.util.logging through SLF4J, so that nothing prints in another format: Vert.x, Netty and Micrometer find
     * SLF4J themselves; the JDK and a few libraries log to JUL (at its default, info). For the node's own process only:
     * it replaces the JVM's JUL handlers.
     */
    public static void routeJavaUtilLogging() {
        if (SLF4JBridgeHandler.isInstalled()) return;
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
