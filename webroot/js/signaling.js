// WebSocket signalling client: one session with a Noom node.
// Owns the socket, the hello handshake, request/answer correlation (`id` → `re`), keep-alive pings,
// the highest `seq` seen (for resume) and reconnection. It knows nothing about rooms or WebRTC.

import { CloseCode, DEFAULT_LIMITS, FINAL_HELLO_CODES, ServerType, hello, ping } from "./protocol.js";
import { DefaultReconnectPolicy, LivenessPolicy } from "./reconnect.js";
import { NotConnectedError, ServerError } from "./signaling-errors.js";

/** Our own close code for a connection the liveness policy found dead (4000–4999 are for applications). */
export const DEAD_CONNECTION_CODE = 4010;

/**
 * Events (all CustomEvent, message in `detail`):
 * - one per server push type (`room-changed`, `member-joined`, `signal`, `chat`, ...), never for replies;
 * - `welcome` after every successful hello (detail.resumed tells whether the old session survived);
 * - `server-error` for error messages nobody asked to keep quiet;
 * - `disconnected` with { code, reason, final, gaveUp } when the socket closes unexpectedly; unless `final`, a
 *   reconnect (with session resume) follows. `final` without `gaveUp`: another connection took the session over;
 *   with `gaveUp`: the reconnect policy gave up.
 * - `hello-refused` with the error message when the server refused our hello for a reason a retry cannot fix
 *   (auth_required, bad_token, unsupported_version); the client then stops.
 */
export class SignalingClient extends EventTarget {
  #url;
  #socket = null;
  #ready = false; // true between our welcome and the socket closing
  #nextId = 1;
  #pending = new Map(); // id → { resolve, reject, silentCodes }
  #highestSeq = 0;
  #resumeToken = null;
  #pingTimer = null;
  #reconnectTimer = null;
  #reconnectPolicy;
  #livenessPolicy;
  #connectTimer = null;
  #failedAttempts = 0; // connection attempts since the last welcome
  #retryCount = 0; // retries since the last welcome (or goaway): what the reconnect policy is told
  #outageStartedAt = null; // Date.now() of the first disconnect since the last welcome
  #stopped = true;
  #awaitingResume = false; // between a resuming hello and its welcome the server replays what we missed
  #joinToken; // JWT from the invitation link: sent in every hello, never exposed, logged or stored

  nickname;
  sessionId = null;
  /** How many welcomes this client got (first connection, reconnections, resumes). */
  welcomeCount = 0;
  iceServers = [];
  limits = DEFAULT_LIMITS;

  /**
   * @param {{token?: string|null, reconnectPolicy?: {nextRetryDelayMs: (context: {retryCount: number, elapsedMs: number}) =>
   *   number|null}, livenessPolicy?: LivenessPolicy}} options token: the join token when the server requires one; the
   *   policies decide the back-off (and when to give up) and when a silent connection counts as dead (see reconnect.js)
   */
  constructor(url, nickname, { token = null, reconnectPolicy = new DefaultReconnectPolicy(), livenessPolicy = new LivenessPolicy() } = {}) {
    super();
    this.#url = url;
    this.nickname = nickname;
    this.#joinToken = token || null;
    this.#reconnectPolicy = reconnectPolicy;
    this.#livenessPolicy = livenessPolicy;
  }

  /** The default `/signal` URL on the page's own origin. */
  static urlFor(location, path) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}${path}`;
  }

  /** What proves this client to GET /api/ice-servers: its join token, else its live session's resume token. */
  get iceServersCredential() {
    return this.#joinToken ?? this.#resumeToken;
  }

  get connected() {
    return this.#ready;
  }

  get highestSeq() {
    return this.#highestSeq;
  }

  /** Opens the connection and keeps it open (reconnecting with back-off) until stop(). */
  start() {
    this.#stopped = false;
    this.#open();
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#socket?.close(1000, "client closed");
  }

  /** Debugging aid: drops the connection the way a network failure would (not 1000/1001), so it gets resumed. */
  simulateNetworkDrop() {
    this.#socket?.close(4000, "simulated network drop");
  }

  /**
   * Sends a request and resolves with its answer (`welcome`, `joined`, `rooms`, `pong` or `ack`).
   * An `error` answer rejects with ServerError and, unless its code is in `silentCodes`,
   * is also announced as a `server-error` event so the page can show it.
   */
  request(message, { silentCodes = [] } = {}) {
    if (!this.#ready) return Promise.reject(new NotConnectedError());
    return this.#send(message, silentCodes);
  }

  #send(message, silentCodes) {
    const id = `c${this.#nextId++}`;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, silentCodes });
      this.#socket.send(JSON.stringify({ ...message, id }));
    });
  }

  #open() {
    clearTimeout(this.#reconnectTimer);
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.addEventListener("open", () => this.#sayHello(socket));
    socket.addEventListener("message", (event) => {
      if (socket === this.#socket) this.#livenessPolicy.heard();
      this.#receive(event.data);
    });
    socket.addEventListener("close", (event) => this.#closed(socket, event));
    // A node that accepts the connection but never answers (hung, or reached through a stalled balancer) is given
    // up on after a deadline that grows with every failed attempt, so a slow but live node still gets us in.
    clearInterval(this.#pingTimer);
    clearTimeout(this.#connectTimer);
    this.#connectTimer = setTimeout(() => {
      if (socket === this.#socket && !this.#ready) this.#declareDead(socket);
    }, this.#livenessPolicy.connectDeadlineMs(this.#failedAttempts));
    this.#failedAttempts += 1;
  }

  async #sayHello(socket) {
    const resume = this.#resumeToken ? { token: this.#resumeToken, lastSeq: this.#highestSeq } : null;
    this.#awaitingResume = resume !== null;
    let welcome;
    try {
      // Refusals that retrying cannot fix are reported once, as `hello-refused`, not as `server-error`.
      welcome = await this.#send(hello(this.nickname, resume, this.#joinToken), FINAL_HELLO_CODES);
    } catch (error) {
      this.#awaitingResume = false;
      if (socket !== this.#socket) return;
      if (FINAL_HELLO_CODES.includes(error?.code)) {
        this.#stopped = true; // the same hello would be refused again: do not reconnect
        socket.close(1000, "hello refused");
        this.dispatchEvent(new CustomEvent("hello-refused", { detail: error.reply }));
        return;
      }
      // A refused hello (e.g. bad nickname) leaves nothing to do on this socket.
      socket.close(1000, "hello refused");
      return;
    }
    this.#awaitingResume = false;
    if (socket !== this.#socket) return; // the connection closed while its welcome was on the way: a new one follows
    this.sessionId = welcome.sessionId;
    this.#resumeToken = welcome.resumeToken ?? null; // single use: the next resume needs this new one
    this.iceServers = Array.isArray(welcome.iceServers) ? welcome.iceServers : [];
    this.limits = { ...DEFAULT_LIMITS, ...(welcome.limits || {}) };
    this.#ready = true;
    this.welcomeCount += 1;
    this.#retryCount = 0;
    this.#outageStartedAt = null;
    this.#failedAttempts = 0;
    clearTimeout(this.#connectTimer);
    this.#startPinging(socket);
    this.dispatchEvent(new CustomEvent(ServerType.WELCOME, { detail: welcome }));
  }

  // Pings keep an idle session alive on the server (idleTimeoutSeconds) and prove the server alive to us: a node
  // that died without closing the TCP connection is noticed after livenessPolicy.deadAfterMs of silence, not minutes.
  #startPinging(socket) {
    clearInterval(this.#pingTimer);
    this.#livenessPolicy.restart();
    const every = Math.min(this.#livenessPolicy.pingEveryMs, this.limits.pingIntervalSeconds * 1000);
    this.#pingTimer = setInterval(() => {
      if (socket !== this.#socket) return;
      if (this.#livenessPolicy.checkDead()) {
        this.#declareDead(socket);
        return;
      }
      this.request(ping(), { silentCodes: [] }).catch(() => {});
    }, every);
  }

  // A dead socket may take minutes to report its own close: stop waiting for it and reconnect now.
  #declareDead(socket) {
    console.warn(`noom: the server stopped answering (${this.#ready ? "open connection" : "connecting"}); reconnecting`);
    this.#closed(socket, { code: DEAD_CONNECTION_CODE, reason: "" });
    try {
      socket.close(DEAD_CONNECTION_CODE, "no pong");
    } catch {
      // already closing
    }
  }

  #receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn("noom: ignoring a frame that is not JSON");
      return;
    }
    if (!message || typeof message !== "object") return;
    if (this.#alreadySeen(message)) return;
    this.#trackSeq(message);

    const waiting = message.re !== undefined ? this.#pending.get(String(message.re)) : undefined;
    if (waiting) {
      this.#pending.delete(String(message.re));
      if (message.type === ServerType.ERROR) {
        if (!waiting.silentCodes.includes(message.code)) this.#announceError(message);
        waiting.reject(new ServerError(message));
      } else {
        waiting.resolve(message);
      }
      return;
    }
    if (message.type === ServerType.ERROR) {
      this.#announceError(message);
      return;
    }
    if (message.type === ServerType.GOAWAY) {
      // The node is draining: it closes us with 1012 and keeps our session for a few seconds, for the node we reach
      // next to claim. Reconnect promptly (the usual jittered first delay) and resume with the token we hold.
      this.#retryCount = 0;
    }
    this.dispatchEvent(new CustomEvent(message.type, { detail: message }));
  }

  // A resumed session replays everything after the lastSeq we presented, with the original seq; anything at or
  // below our highest seq was handled before the drop and must not be handled twice.
  #alreadySeen(message) {
    return this.#awaitingResume && message.type !== ServerType.WELCOME && typeof message.seq === "number" && message.seq <= this.#highestSeq;
  }

  #trackSeq(message) {
    if (typeof message.seq !== "number") return;
    // A fresh (not resumed) session numbers its messages from 1 again.
    if (message.type === ServerType.WELCOME && !message.resumed) this.#highestSeq = message.seq;
    else this.#highestSeq = Math.max(this.#highestSeq, message.seq);
  }

  #announceError(message) {
    this.dispatchEvent(new CustomEvent("server-error", { detail: message }));
  }

  #closed(socket, event) {
    if (socket !== this.#socket) return; // a socket we already replaced (or declared dead)
    this.#socket = null;
    this.#ready = false;
    clearInterval(this.#pingTimer);
    clearTimeout(this.#connectTimer);
    for (const { reject } of this.#pending.values()) reject(new NotConnectedError("connection lost"));
    this.#pending.clear();
    if (this.#stopped) return;
    // Another connection took this session over: reconnecting would only fight it for the session.
    const resumedElsewhere = event.code === CloseCode.RESUMED_ELSEWHERE;
    const delay = resumedElsewhere ? null : this.#nextRetryDelayMs();
    const final = delay === null;
    const detail = { code: event.code, reason: event.reason, final, gaveUp: final && !resumedElsewhere };
    this.dispatchEvent(new CustomEvent("disconnected", { detail }));
    if (final) {
      this.#stopped = true;
      return;
    }
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => this.#open(), delay);
  }

  /** Asks the reconnect policy, and counts the retry. */
  #nextRetryDelayMs() {
    const now = Date.now();
    this.#outageStartedAt ??= now;
    const delay = this.#reconnectPolicy.nextRetryDelayMs({ retryCount: this.#retryCount, elapsedMs: now - this.#outageStartedAt });
    this.#retryCount += 1;
    return delay;
  }
}
