package app.noom.protocol;

/** A client message that cannot be processed; becomes one {@code error} answer to its sender and nothing else. */
public final class ProtocolException extends RuntimeException {
  private final ErrorCode code;
  private final transient Object requestId;

  public ProtocolException(ErrorCode code, String message, Object requestId) {
    super(message, null, false, false); // expected on bad input: no stack trace to fill
    this.code = code;
    this.requestId = requestId;
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

  public ProtocolException withRequestId(Object id) {
    return new ProtocolException(code, getMessage(), id);
  }
}
