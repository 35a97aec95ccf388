// Unit tests of the reconnect and liveness policies: `node --test src/test/js/` (no npm packages needed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { LivenessPolicy, ReconnectPolicy } from "../../../webroot/js/reconnect.js";

test("first retry comes within a few hundred milliseconds whatever the jitter", () => {
  for (const r of [0, 0.5, 0.999]) {
    const delay = new ReconnectPolicy({ random: () => r }).nextDelayMs();
    assert.ok(delay > 0 && delay < 300, `first delay ${delay} with random ${r}`);
  }
});

test("delays grow and stay at or below the low cap", () => {
  const policy = new ReconnectPolicy({ random: () => 0.5 });
  const delays = Array.from({ length: 10 }, () => policy.nextDelayMs());
  assert.deepEqual(delays.slice(0, 4), [200, 400, 800, 1600]);
  assert.ok(delays.every((d) => d <= 2000), `capped: ${delays}`);
  assert.equal(delays.at(-1), 2000);
});

test("jitter spreads clients over half to one and a half times the base", () => {
  const low = new ReconnectPolicy({ random: () => 0 });
  const high = new ReconnectPolicy({ random: () => 0.999999 });
  low.nextDelayMs();
  high.nextDelayMs();
  assert.equal(low.nextDelayMs(), 200);
  assert.ok(Math.abs(high.nextDelayMs() - 600) < 0.01);
});

test("reset starts small again after a welcome", () => {
  const policy = new ReconnectPolicy({ random: () => 0.5 });
  for (let i = 0; i < 6; i++) policy.nextDelayMs();
  policy.reset();
  assert.equal(policy.nextDelayMs(), 200);
});

test("a policy that could wait forever or never is refused", () => {
  assert.throws(() => new ReconnectPolicy({ firstDelayMs: 0 }), RangeError);
  assert.throws(() => new ReconnectPolicy({ firstDelayMs: 500, maxDelayMs: 100 }), RangeError);
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
