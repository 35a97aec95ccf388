package app.noom.protocol;

import io.vertx.core.json.JsonObject;

/** A client message that cannot be processed; becomes one {@code error} answer to its sender and nothing else. */
public final class ProtocolException extends RuntimeException {
    private final ErrorCode code;
    private final transient Object requestId;
    /** Structured data a client needs to act on the error (e.g. {@code kicked}'s {@code until}); sent beside the code. */
    private final transient JsonObject fields;

    private ProtocolException(ErrorCode code, String message, Object requestId, JsonObject fields) {
        super(message, null, false, false); // expected on bad input: no stack trace to fill
        this.code = code;
        this.requestId = requestId;
        this.fields = fields;
    }

    public ProtocolException(ErrorCode code, String message, Object requestId) {
        this(code, message, requestId, new JsonObject());
    }

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ErrorCode code() {
        return code;
    }

    /** The offending message's {@code id}, echoed as {@code re}; null when unreadable. */
    public Object requestId() {
        return requestId;
    }

    /** The documented extra fields of this error frame (a copy; empty for most codes). */
    public JsonObject fields() {
        return fields.copy();
    }

    public ProtocolException withRequestId(Object id) {
        return new ProtocolException(code, getMessage(), id, fields);
    }

    /** This error with one more documented field for the client, e.g. {@code with("until", epochMillis)}. */
    public ProtocolException with(String field, Object value) {
        return new ProtocolException(
                code, getMessage(), requestId, fields.copy().put(field, value));
    }
}
