package app.noom.logscan;

import app.noom.logging.LogSetup;
import app.noom.logging.TextLayout;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;

/**
 * Everything the test JVM logs, kept for {@link LogSecretsScanTest}, and every secret the tests handled.
 *
 * <p>Installed once per test JVM, before the first test class runs ({@link LogCaptureExtension}, auto-registered):
 * <ul>
 *   <li>an appender on Logback's root logger: Noom, Vert.x, Netty and Micrometer log through SLF4J to Logback. Noom's
 *       own loggers are opened to every level (the console keeps its level), so a secret in a trace line counts too;
 *   <li>a JUL handler on the root logger, for whatever still logs through java.util.logging;
 *   <li>a tee of {@code System.out} and {@code System.err} (uncaught exceptions, anything printed);
 *   <li>{@link #record} for output of node processes started by tests (their JVMs log to our pipe).
 * </ul>
 * All of it goes to {@code target/test-logs/run-<pid>.log}. Secrets are collected where tests meet them: the test
 * clients see every resume token and TURN credential the node hands out and every token and password they send; the
 * node starters see configured secrets ({@code TURN_SECRET}, {@code AUTH_JWT_SECRET}, {@code ADMIN_TOKEN} …).
 */
public final class LogCapture {
    /** Shorter values cannot be told apart from ordinary words in a log; the scan test uses long ones on purpose. */
    static final int MIN_SECRET_LENGTH = 8;

    private static final Set<String> SECRET_ENV_HINTS = Set.of("SECRET", "TOKEN", "PASSWORD", "PRIVATE_KEY");
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>(); // value → what it is
    private static final Logger NOOM = Logger.getLogger("app.noom"); // strong reference: JUL keeps loggers weakly
    private static Path file;
    private static BufferedWriter out;

    private LogCapture() {}

    /** Idempotent. */
    public static synchronized void install() {
        if (out != null) return;
        try {
            Path dir = Path.of("target", "test-logs");
            Files.createDirectories(dir);
            file = dir.resolve("run-" + ProcessHandle.current().pid() + ".log");
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Handler handler = new Handler() {
            private final SimpleFormatter format = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                write(
                        "jul",
                        format.format(record)); // message with its parameters and the stack trace, as a console would
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        handler.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(handler);
        NOOM.setLevel(Level.ALL);
        captureLogback();
        System.setOut(tee(System.out, "out"));
        System.setErr(tee(System.err, "err"));
        write("capture", "log capture installed\n");
    }

    /** Every Logback event, Noom's at every level, formatted as the text console would; the console keeps its level. */
    private static void captureLogback() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalStateException("Logback is not the SLF4J back end: the log capture would miss every line");
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Logger noom = context.getLogger(LogSetup.NOOM_LOGGERS);
        ch.qos.logback.classic.Level consoleLevel = noom.getEffectiveLevel();
        Appender<ILoggingEvent> console = root.getAppender(LogSetup.CONSOLE);
        if (console != null) {
            console.addFilter(new Filter<>() {
                @Override
                public FilterReply decide(ILoggingEvent event) {
                    boolean opened = event.getLoggerName().startsWith(LogSetup.NOOM_LOGGERS);
                    return opened && !event.getLevel().isGreaterOrEqual(consoleLevel)
                            ? FilterReply.DENY
                            : FilterReply.NEUTRAL;
                }
            });
        }
        TextLayout layout = new TextLayout();
        layout.setContext(context);
        layout.start();
        AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                write("logback", layout.doLayout(event));
            }
        };
        capture.setContext(context);
        capture.setName("log-capture");
        capture.start();
        root.addAppender(capture);
        noom.setLevel(ch.qos.logback.classic.Level.ALL);
    }

    public static boolean installed() {
        return out != null;
    }

    static synchronized Path file() {
        flush();
        return file;
    }

    /** A line of output that did not pass through this JVM's logging (a node process, for instance). */
    public static void record(String source, String line) {
        write(source, line + "\n");
    }

    private static synchronized void write(String source, String text) {
        if (out == null) return;
        try {
            out.write("[" + source + "] ");
            out.write(text);
        } catch (IOException e) {
            // never let logging break a test
        }
    }

    private static synchronized void flush() {
        try {
            if (out != null) out.flush();
        } catch (IOException e) {
            // ignore
        }
    }

    private static PrintStream tee(PrintStream original, String source) {
        return new PrintStream(
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        original.write(b);
                        LogCapture.write(source, String.valueOf((char) b));
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        original.write(b, off, len);
                        LogCapture.write(source, new String(b, off, len, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void flush() {
                        original.flush();
                    }
                },
                true,
                StandardCharsets.UTF_8);
    }

    // ---- secrets ----

    public static void secret(String what, String value) {
        if (value != null && value.length() >= MIN_SECRET_LENGTH) SECRETS.putIfAbsent(value, what);
    }

    static Map<String, String> secrets() {
        return Map.copyOf(SECRETS);
    }

    /** Configured secrets among a node's environment. */
    public static void fromEnvironment(Map<String, String> env) {
        env.forEach((name, value) -> {
            if (SECRET_ENV_HINTS.stream().anyMatch(name::contains)) secret(name, value);
        });
    }

    /** Secrets in a protocol message either way: resume tokens, TURN credentials, join tokens, room passwords. */
    public static void fromMessage(JsonObject message) {
        try {
            secret("resumeToken", message.getValue("resumeToken") instanceof String s ? s : null);
            secret("join token", message.getValue("token") instanceof String s ? s : null);
            secret("room password", message.getValue("password") instanceof String s ? s : null);
            if (message.getValue("resume") instanceof JsonObject resume) {
                secret("presented resume token", resume.getValue("token") instanceof String s ? s : null);
            }
            if (message.getValue("iceServers") instanceof JsonArray servers) {
                for (Object server : servers) {
                    if (server instanceof JsonObject s && s.getValue("credential") instanceof String credential) {
                        secret("TURN password", credential);
                    }
                }
            }
        } catch (RuntimeException e) {
            // a test sending odd messages on purpose: nothing to collect
        }
    }
}
