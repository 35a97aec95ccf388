package app.noom.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the node logs: {@code LOG_FORMAT} (text for a terminal, json for a log pipeline: one object per line) and
 * {@code LOG_LEVEL} (Noom's own loggers; libraries log at info, or at {@code LOG_LEVEL} when that is stricter).
 */
public record LogSettings(Format format, Level level) {
    public enum Format {
        TEXT,
        JSON
    }

    public enum Level {
        ERROR,
        WARN,
        INFO,
        DEBUG,
        TRACE
    }

    public static final LogSettings DEFAULTS = new LogSettings(Format.TEXT, Level.INFO);

    /** The settings in {@code env}; a bad value fails naming its variable. */
    public static LogSettings fromEnv(Map<String, String> env) {
        return new LogSettings(
                parse(env, EnvNames.LOG_FORMAT, Format.class, DEFAULTS.format),
                parse(env, EnvNames.LOG_LEVEL, Level.class, DEFAULTS.level));
    }

    /**
     * For the logging back end, which starts before the configuration is checked: a bad value falls back to the default
     * here, and the configuration check then stops the process with one line naming the variable.
     */
    public static LogSettings fromEnvOrDefaults(Map<String, String> env) {
        try {
            return fromEnv(env);
        } catch (IllegalArgumentException e) {
            return DEFAULTS;
        }
    }

    private static <E extends Enum<E>> E parse(Map<String, String> env, String name, Class<E> type, E fallback) {
        String raw = env.getOrDefault(name, "").trim();
        if (raw.isEmpty()) return fallback;
        try {
            return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining("|"));
            throw new IllegalArgumentException(name + " must be one of " + allowed + ", got '" + raw + "'");
        }
    }

    @Override
    public String toString() {
        return "LogSettings[format=" + format.name().toLowerCase(Locale.ROOT) + ", level="
                + level.name().toLowerCase(Locale.ROOT) + "]";
    }
}
