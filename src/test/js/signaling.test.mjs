// SignalingClient with its reconnect policy injected: the client counts retries (resetting on welcome) and measures the
// outage; the policy alone decides the delay and when to give up. A fake WebSocket stands in for the browser's.
import { test } from "node:test";
import assert from "node:assert/strict";
import "./support/dom-events.mjs";
import { LivenessPolicy } from "../../../webroot/js/reconnect.js";
import { SignalingClient } from "../../../webroot/js/signaling.js";

class FakeSocket extends EventTarget {
  static opened = [];
  sent = [];
  closed = false;

  constructor(url) {
    super();
    this.url = url;
    FakeSocket.opened.push(this);
  }

  send(data) {
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000, reason = "") {
    this.drop(code, reason);
  }

  // --- what the "server" does in the tests ---
  accept() {
    this.dispatchEvent(new Event("open"));
  }

  answer(message) {
    this.dispatchEvent(Object.assign(new Event("message"), { data: JSON.stringify(message) }));
  }

  drop(code = 1006, reason = "") {
    if (this.closed) return;
    this.closed = true;
    this.dispatchEvent(Object.assign(new Event("close"), { code, reason }));
  }
}
globalThis.WebSocket = FakeSocket;

/** A policy that records what it was told and answers from a script (0 = retry at once, null = give up). */
function scriptedPolicy(answers) {
  return {
    contexts: [],
    nextRetryDelayMs(context) {
      this.contexts.push(context);
      return answers.shift();
    },
  };
}

/** Liveness that never cuts a connection short during a test (the tests drop sockets themselves). */
const patientLiveness = () => new LivenessPolicy({ pingEveryMs: 60_000, deadAfterMs: 120_000, connectDeadlineMs: 60_000, maxConnectDeadlineMs: 60_000 });

async function nextSocket(count) {
  for (let turn = 0; FakeSocket.opened.length < count; turn++) {
    assert.ok(turn < 100, `socket ${count} was never opened`);
    await new Promise((resolve) => setTimeout(resolve, 1)); // the retry timer (delay 0) runs on a later turn
  }
  return FakeSocket.opened[count - 1];
}

function welcome(socket) {
  const hello = socket.sent.find((m) => m.type === "hello");
  socket.answer({ type: "welcome", re: hello.id, seq: 1, sessionId: "s1", resumeToken: "r1", resumed: false });
}

function client(policy) {
  FakeSocket.opened = [];
  const signaling = new SignalingClient("ws://noom.test/signal", "Ada", { reconnectPolicy: policy, livenessPolicy: patientLiveness() });
  const disconnects = [];
  signaling.addEventListener("disconnected", ({ detail }) => disconnects.push(detail));
  return { signaling, disconnects };
}

test("the client tells the policy each retry's number, starting again at 0 after a welcome", async () => {
  const policy = scriptedPolicy([0, 0, 0]);
  const { signaling } = client(policy);
  signaling.start();
  (await nextSocket(1)).drop();
  (await nextSocket(2)).drop();
  const third = await nextSocket(3);
  third.accept();
  const welcomed = new Promise((resolve) => signaling.addEventListener("welcome", resolve, { once: true }));
  welcome(third);
  await welcomed;
  third.drop();
  await nextSocket(4);
  signaling.stop();
  assert.deepEqual(policy.contexts.map((c) => c.retryCount), [0, 1, 0]);
  assert.ok(policy.contexts.every((c) => c.elapsedMs >= 0 && c.elapsedMs < 5000), JSON.stringify(policy.contexts));
});

test("when the policy gives up, the client stops and says so instead of retrying", async () => {
  const policy = scriptedPolicy([0, null]);
  const { signaling, disconnects } = client(policy);
  signaling.start();
  (await nextSocket(1)).drop();
  (await nextSocket(2)).drop();
  assert.deepEqual(disconnects.map((d) => [d.final, d.gaveUp]), [[false, false], [true, true]]);
  await new Promise((resolve) => setTimeout(resolve, 5)); // a retry, had one been scheduled, would be due by now (delay 0)
  assert.equal(FakeSocket.opened.length, 2, "no attempt after giving up");
  assert.equal(policy.contexts.length, 2);
});

test("a session taken over by another connection ends without asking the policy", async () => {
  const policy = scriptedPolicy([0]);
  const { socket, disconnects } = await welcomedClient(policy);
  socket.drop(4003, "resumed elsewhere");
  assert.deepEqual(disconnects, [{ code: 4003, reason: "resumed elsewhere", final: true, gaveUp: false }]);
  assert.equal(policy.contexts.length, 0);
});

/** A client with a welcomed connection; `socket` is its fake WebSocket. */
async function welcomedClient(policy = scriptedPolicy([0])) { // by default one immediate retry, for the resume test
  const { signaling, disconnects } = client(policy);
  const errors = [];
  signaling.addEventListener("server-error", ({ detail }) => errors.push(detail));
  signaling.start();
  const socket = await nextSocket(1);
  socket.accept();
  const welcomed = new Promise((resolve) => signaling.addEventListener("welcome", resolve, { once: true }));
  welcome(socket);
  await welcomed;
  return { signaling, socket, errors, disconnects };
}

test("a reply is matched to its request by re; an error reply rejects with its code and structured fields", async () => {
  const { signaling, socket, errors } = await welcomedClient();
  const joining = signaling.request({ type: "join", room: "standup" });
  const sent = socket.sent.at(-1);
  assert.equal(sent.type, "join");
  assert.match(sent.id, /^c\d+$/);
  socket.answer({ type: "error", seq: 2, re: sent.id, code: "kicked", message: "removed", until: 1764070600123 });
  const refusal = await joining.then(() => assert.fail("a refusal must reject"), (error) => error);
  assert.equal(refusal.name, "ServerError");
  assert.equal(refusal.code, "kicked");
  assert.equal(refusal.reply.until, 1764070600123);
  assert.deepEqual(errors.map((e) => e.code), ["kicked"], "announced, as it was not asked to stay quiet");
  signaling.stop();
});

test("pushes become events of their type; frames that are not JSON objects are ignored", async () => {
  const { signaling, socket } = await welcomedClient();
  const chats = [];
  signaling.addEventListener("chat", ({ detail }) => chats.push(detail.text));
  socket.dispatchEvent(Object.assign(new Event("message"), { data: "not json" }));
  socket.answer(null);
  socket.answer({ type: "chat", seq: 2, room: "r", from: "m-B", text: "hi" });
  assert.deepEqual(chats, ["hi"]);
  assert.equal(signaling.highestSeq, 2);
  signaling.stop();
});

test("after a resume, replayed frames already handled before the drop are dropped, newer ones delivered", async () => {
  const { signaling, socket } = await welcomedClient();
  const chats = [];
  signaling.addEventListener("chat", ({ detail }) => chats.push(detail.text));
  socket.answer({ type: "chat", seq: 2, room: "r", from: "m-B", text: "before" });
  socket.drop();
  const second = await nextSocket(2);
  second.accept();
  const hello = second.sent.find((m) => m.type === "hello");
  assert.deepEqual(hello.resume, { token: "r1", lastSeq: 2 });
  second.answer({ type: "chat", seq: 2, room: "r", from: "m-B", text: "before" }); // replayed: seen already
  second.answer({ type: "chat", seq: 3, room: "r", from: "m-B", text: "missed" });
  second.answer({ type: "welcome", re: hello.id, seq: 4, sessionId: "s1", resumeToken: "r2", resumed: true });
  assert.deepEqual(chats, ["before", "missed"]);
  signaling.stop();
});
