// Unit tests of the reconnect and liveness policies: `node --test src/test/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DefaultReconnectPolicy, LivenessPolicy } from "../../../webroot/js/reconnect.js";

/** The delays the policy gives for retries 0..count-1 of one outage that has lasted `elapsedMs` so far. */
const delays = (policy, count, elapsedMs = 0) => Array.from({ length: count }, (_, retryCount) => policy.nextRetryDelayMs({ retryCount, elapsedMs }));

test("first retry comes within a few hundred milliseconds whatever the jitter", () => {
  for (const r of [0, 0.5, 0.999]) {
    const delay = new DefaultReconnectPolicy({ random: () => r }).nextRetryDelayMs({ retryCount: 0, elapsedMs: 0 });
    assert.ok(delay > 0 && delay < 300, `first delay ${delay} with random ${r}`);
  }
});

test("delays grow and stay at or below the low cap", () => {
  const all = delays(new DefaultReconnectPolicy({ random: () => 0.5 }), 10);
  assert.deepEqual(all.slice(0, 4), [200, 400, 800, 1600]);
  assert.ok(all.every((d) => d <= 2000), `capped: ${all}`);
  assert.equal(all.at(-1), 2000);
});

test("jitter spreads clients over half to one and a half times the base", () => {
  const low = new DefaultReconnectPolicy({ random: () => 0 });
  const high = new DefaultReconnectPolicy({ random: () => 0.999999 });
  assert.equal(low.nextRetryDelayMs({ retryCount: 1, elapsedMs: 0 }), 200);
  assert.ok(Math.abs(high.nextRetryDelayMs({ retryCount: 1, elapsedMs: 0 }) - 600) < 0.01);
});

test("the policy keeps no count of its own: the same context gives the same delay, so a reset is the caller's", () => {
  const policy = new DefaultReconnectPolicy({ random: () => 0.5 });
  delays(policy, 6);
  assert.equal(policy.nextRetryDelayMs({ retryCount: 0, elapsedMs: 60_000 }), 200);
});

test("by default the client never gives up: a call's media may still flow while the server is away", () => {
  const policy = new DefaultReconnectPolicy();
  assert.notEqual(policy.nextRetryDelayMs({ retryCount: 1_000_000, elapsedMs: 7 * 24 * 3600_000 }), null);
});

test("a bounded policy gives up (null) after its retries or its time, whichever comes first", () => {
  const byCount = new DefaultReconnectPolicy({ maxRetries: 3, random: () => 0.5 });
  assert.deepEqual(delays(byCount, 5), [200, 400, 800, null, null]);
  const byTime = new DefaultReconnectPolicy({ giveUpAfterMs: 30_000, random: () => 0.5 });
  assert.equal(byTime.nextRetryDelayMs({ retryCount: 2, elapsedMs: 29_999 }), 800);
  assert.equal(byTime.nextRetryDelayMs({ retryCount: 2, elapsedMs: 30_000 }), null);
  assert.equal(new DefaultReconnectPolicy({ maxRetries: 0 }).nextRetryDelayMs({ retryCount: 0, elapsedMs: 0 }), null);
});

test("a policy that could wait forever or never is refused", () => {
  assert.throws(() => new DefaultReconnectPolicy({ firstDelayMs: 0 }), RangeError);
  assert.throws(() => new DefaultReconnectPolicy({ firstDelayMs: 500, maxDelayMs: 100 }), RangeError);
  assert.throws(() => new DefaultReconnectPolicy({ maxRetries: -1 }), RangeError);
  assert.throws(() => new DefaultReconnectPolicy({ giveUpAfterMs: Number.NaN }), RangeError);
  assert.throws(() => new LivenessPolicy({ pingEveryMs: 2000, deadAfterMs: 1000 }), RangeError);
});

test("a connection is dead after two seconds of silence, and alive again when anything arrives", () => {
  let now = 10_000;
  const liveness = new LivenessPolicy({ now: () => now });
  now += 1999;
  assert.equal(liveness.isDead(), false);
  now += 1;
  assert.equal(liveness.isDead(), true);
  liveness.heard();
  assert.equal(liveness.isDead(), false);
  assert.ok(liveness.pingEveryMs < liveness.deadAfterMs / 2, "at least two pings fit before the verdict");
});

test("a new connection gets longer than an open one to answer, more with every failed attempt, up to a cap", () => {
  const liveness = new LivenessPolicy();
  const deadlines = [0, 1, 2, 3, 10].map((n) => liveness.connectDeadlineMs(n));
  assert.ok(deadlines[0] > liveness.deadAfterMs, `first deadline ${deadlines[0]}`);
  assert.deepEqual(deadlines.slice(0, 4), [4000, 6000, 9000, 13500]);
  assert.equal(deadlines[4], 15000);
});

test("silence while our own checks ran late is blamed on our starved page, not on the server", () => {
  let now = 0;
  const liveness = new LivenessPolicy({ now: () => now });
  liveness.restart();
  now += 700;
  assert.equal(liveness.checkDead(), false);
  now += 5000; // the page was frozen: this check comes 5 s late
  assert.equal(liveness.checkDead(), false, "starved, not dead");
  for (let i = 0; i < 2; i++) {
    now += 700;
    assert.equal(liveness.checkDead(), false);
  }
  now += 700;
  assert.equal(liveness.checkDead(), true, "checks on time and still silent: dead");
});
