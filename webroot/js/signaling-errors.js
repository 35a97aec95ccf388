// What a request to the server can fail with: the server's own refusal, or no connection to ask it on.

/** An `error` message the server sent in answer to one of our requests. */
export class ServerError extends Error {
  constructor(reply) {
    super(reply.message || reply.code);
    this.name = "ServerError";
    this.code = reply.code;
    this.reply = reply;
  }
}

/** The request could not be answered because the connection is not (or no longer) established. */
export class NotConnectedError extends Error {
  constructor(message = "not connected to the server") {
    super(message);
    this.name = "NotConnectedError";
  }
}
