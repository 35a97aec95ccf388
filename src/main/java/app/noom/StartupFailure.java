package app.noom;

import java.net.BindException;
import java.util.Map;

/**
 * Turns whatever stopped the start into the one line an operator reads in {@code docker logs} or
 * {@code kubectl logs}: it names the variable to fix, never echoes a secret, and ends the process non-zero.
 */
final class StartupFailure {
    /** Bad configuration: fix a variable and start again. */
    static final int EXIT_CONFIG = 2;
    /** The environment refused something the configuration asked for (a port in use, ...). */
    static final int EXIT_START = 1;

    private StartupFailure() {}

    static String describe(Throwable error, Map<String, String> env) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                String port = env.getOrDefault("PORT", "8080").trim();
                return "PORT " + (port.isEmpty() ? "8080" : port) + " cannot be bound (" + t.getMessage()
                        + "): another process holds it, or the port needs privileges";
            }
        }
        if (error instanceof IllegalArgumentException) return error.getMessage();
        return error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    static int exitCode(Throwable error) {
        return error instanceof IllegalArgumentException ? EXIT_CONFIG : EXIT_START;
    }

    /** One line on stderr (not through the logger: its configuration may be what failed) and a non-zero exit. */
    static void exit(Throwable error, Map<String, String> env) {
        System.err.println("Noom failed to start: " + describe(error, env));
        System.err.flush();
        Runtime.getRuntime().halt(exitCode(error)); // halt: no shutdown hook may drain a node that never started
    }
}
