package app.noom.logging;

/**
 * Names of the key-value pairs Noom's log lines carry (SLF4J {@code addKeyValue}); the text and JSON layouts print
 * them, log pipelines index them. A session's lines name it with {@link #SESSION}; {@link #NODE} is added to every line
 * by the layouts (see {@link NodeIds}) unless the line names it already.
 */
public final class LogFields {
    public static final String NODE = "node";
    public static final String SESSION = "session";

    private LogFields() {}
}
