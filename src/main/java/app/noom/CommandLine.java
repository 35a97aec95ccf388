package app.noom;

import app.noom.config.EnvNames;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The few arguments Noom takes; everything else is configured by environment variables (README, "Configuration"). */
final class CommandLine {
    enum Action {
        RUN,
        PRINTED,
        UNKNOWN
    }

    private CommandLine() {}

    /** Handles {@code --version} / {@code --help}; tells the caller whether to start the node. */
    static Action handle(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) return Action.RUN;
        switch (args[0]) {
            case "--version", "-v" -> {
                out.println(BuildInfo.current());
                return Action.PRINTED;
            }
            case "--help", "-h" -> {
                out.println(help());
                return Action.PRINTED;
            }
            default -> {
                err.println("Noom: unknown argument '" + args[0]
                        + "' (Noom is configured by environment variables; see --help)");
                return Action.UNKNOWN;
            }
        }
    }

    static String help() {
        return BuildInfo.current() + " — self-hosted video-call signalling\n\n"
                + "Usage: java -jar noom.jar [--version | --help]\n\n"
                + "Configured by environment variables (defaults and meaning: README.md, \"Configuration\"):\n  "
                + String.join("\n  ", settings()) + "\n"
                + "HTTP: / /signal /sockjs " + EnvNames.PATH_ICE_SERVERS + " " + EnvNames.PATH_HEALTH + " "
                + EnvNames.PATH_READY + " " + EnvNames.PATH_METRICS + " " + EnvNames.PATH_ADMIN + "/";
    }

    /** Every variable in {@link EnvNames}, so the help cannot fall behind the code. */
    private static List<String> settings() {
        return Arrays.stream(EnvNames.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers())
                        && f.getType() == String.class
                        && !f.getName().startsWith("PATH_"))
                .map(CommandLine::value)
                .collect(Collectors.toList());
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
