// How the signalling client notices a dead connection and how long it waits before each new attempt.
// Plain objects with no timers of their own, injected into SignalingClient, so `node --test` can check them exactly.

/**
 * A reconnect policy is any object with `nextRetryDelayMs({retryCount, elapsedMs})`: given how many attempts failed
 * since the connection was last good (0 before the first retry) and how long ago it went bad, it returns the delay
 * before the next attempt, or null to give up (the signalling client then stops and says so). It holds no state of its
 * own: SignalingClient counts, so one policy can be shared and tested with plain numbers.
 *
 * The default: jittered exponential back-off that never gives up. The first retry comes within a few hundred
 * milliseconds (a node that restarts or a load balancer that moves us elsewhere is usually ready at once); the cap stays
 * low, because a person is staring at a frozen call. Jitter spreads a whole node's population over the interval instead
 * of sending it back in one instant.
 */
export class DefaultReconnectPolicy {
  #firstDelayMs;
  #maxDelayMs;
  #maxRetries;
  #giveUpAfterMs;
  #random;

  /**
   * @param {{firstDelayMs?: number, maxDelayMs?: number, maxRetries?: number, giveUpAfterMs?: number,
   *   random?: () => number}} options random: [0, 1) source; maxRetries and giveUpAfterMs: when to stop trying
   *   (by default never: a call's media may still flow peer to peer, and the server may come back)
   */
  constructor({ firstDelayMs = 200, maxDelayMs = 2000, maxRetries = Infinity, giveUpAfterMs = Infinity, random = Math.random } = {}) {
    if (!(firstDelayMs > 0) || !(maxDelayMs >= firstDelayMs)) throw new RangeError("need 0 < firstDelayMs <= maxDelayMs");
    if (!(maxRetries >= 0) || !(giveUpAfterMs >= 0)) throw new RangeError("need maxRetries >= 0 and giveUpAfterMs >= 0");
    this.#firstDelayMs = firstDelayMs;
    this.#maxDelayMs = maxDelayMs;
    this.#maxRetries = maxRetries;
    this.#giveUpAfterMs = giveUpAfterMs;
    this.#random = random;
  }

  /**
   * base × [0.5, 1.5), where base doubles per failed attempt up to the cap; null once the attempts or the time are up.
   * @param {{retryCount: number, elapsedMs: number}} context
   * @returns {number|null}
   */
  nextRetryDelayMs({ retryCount, elapsedMs }) {
    if (retryCount >= this.#maxRetries || elapsedMs >= this.#giveUpAfterMs) return null;
    const base = Math.min(this.#firstDelayMs * 2 ** retryCount, this.#maxDelayMs);
    return Math.min(base * (0.5 + this.#random()), this.#maxDelayMs);
  }
}

/**
 * Liveness of an open connection, judged by silence: the client pings every `pingEveryMs` and counts the connection
 * dead once nothing at all (pong or anything else) arrived for `deadAfterMs`. A killed node or a cut cable gives no
 * TCP close for minutes; this notices it in about two seconds.
 */
export class LivenessPolicy {
  pingEveryMs;
  deadAfterMs;
  #connectDeadlineMs;
  #maxConnectDeadlineMs;
  #lastHeardAt;
  #lastCheckAt = null;

  /**
   * @param {{pingEveryMs?: number, deadAfterMs?: number, connectDeadlineMs?: number, maxConnectDeadlineMs?: number,
   *   now?: () => number}} options connectDeadlineMs: how long a new connection may take to its welcome
   */
  constructor({ pingEveryMs = 700, deadAfterMs = 2000, connectDeadlineMs = 4000, maxConnectDeadlineMs = 15_000, now = () => Date.now() } = {}) {
    if (!(pingEveryMs > 0) || !(deadAfterMs > pingEveryMs)) throw new RangeError("need 0 < pingEveryMs < deadAfterMs");
    if (!(connectDeadlineMs > 0) || !(maxConnectDeadlineMs >= connectDeadlineMs)) throw new RangeError("need 0 < connectDeadlineMs <= max");
    this.pingEveryMs = pingEveryMs;
    this.deadAfterMs = deadAfterMs;
    this.#connectDeadlineMs = connectDeadlineMs;
    this.#maxConnectDeadlineMs = maxConnectDeadlineMs;
    this.now = now;
    this.#lastHeardAt = now();
  }

  /**
   * How long connection attempt number `failedAttempts` (0 = the first since the last welcome) may take from opening
   * to welcome. Longer than deadAfterMs and growing: a node that is merely slow (overloaded, or a slow network) must
   * get its chance to answer, or every attempt would be cut short and the client would never get back in.
   */
  connectDeadlineMs(failedAttempts) {
    return Math.min(this.#connectDeadlineMs * 1.5 ** failedAttempts, this.#maxConnectDeadlineMs);
  }

  /** Any frame from the server proves the connection alive. */
  heard() {
    this.#lastHeardAt = this.now();
  }

  /** A new connection: checks start afresh. */
  restart() {
    this.#lastHeardAt = this.now();
    this.#lastCheckAt = null;
  }

  /** True once the server has been silent for deadAfterMs. */
  isDead() {
    return this.now() - this.#lastHeardAt >= this.deadAfterMs;
  }

  /**
   * The verdict of one periodic check (call it every pingEveryMs). When the checks themselves ran late, our own page
   * was starved of CPU (a busy tab, a loaded machine) and the server's answers may be waiting in our queue: that
   * silence is ours, not the server's, so the clock starts again instead of declaring the connection dead.
   */
  checkDead() {
    const now = this.now();
    const starved = this.#lastCheckAt !== null && now - this.#lastCheckAt > 2 * this.pingEveryMs;
    this.#lastCheckAt = now;
    if (starved) {
      this.#lastHeardAt = now;
      return false;
    }
    return this.isDead();
  }
}
