package app.noom.protocol;

/**
 * A JSON object the server relays without looking inside (a signal's SDP or ICE payload): the exact text span of a
 * frame the parser already validated, so it is neither built into a tree nor encoded again on the way out.
 *
 * @param text one complete, syntactically valid JSON object, as the client wrote it
 */
public record RawJson(String text) {}
