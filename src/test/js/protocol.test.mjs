// The client's message builders and input checks (webroot/js/protocol.js) against docs/PROTOCOL.md's shapes and limits.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as protocol from "../../../webroot/js/protocol.js";

const { ClientType, PROTOCOL_VERSION } = protocol;

test("hello carries the version and nickname, the join token only when there is one, and resume as token + lastSeq", () => {
  assert.deepEqual(protocol.hello("Ada", null, null), { type: "hello", version: 1, nickname: "Ada" });
  assert.equal(PROTOCOL_VERSION, 1);
  const resumed = protocol.hello("Ada", { token: "r1", lastSeq: 41, extra: "not sent" }, "jwt");
  assert.deepEqual(resumed, { type: "hello", version: 1, nickname: "Ada", token: "jwt", resume: { token: "r1", lastSeq: 41 } });
});

test("join sends password and private only when set", () => {
  assert.deepEqual(protocol.join("standup"), { type: "join", room: "standup" });
  assert.deepEqual(protocol.join("standup", { password: "", privateRoom: false }), { type: "join", room: "standup" });
  assert.deepEqual(protocol.join("standup", { password: "pw", privateRoom: true }), { type: "join", room: "standup", password: "pw", private: true });
});

test("media always sends all three booleans the server requires, as booleans", () => {
  assert.deepEqual(protocol.media("r", { audioMuted: 1, videoOff: undefined, screen: "" }), {
    type: "media",
    room: "r",
    audioMuted: true,
    videoOff: false,
    screen: false,
  });
});

test("the other builders produce the documented shapes, without an id (the signalling client stamps it)", () => {
  const cases = [
    [protocol.ping(), { type: "ping" }],
    [protocol.setNickname("Bo"), { type: "nickname", nickname: "Bo" }],
    [protocol.roomsSubscribe(), { type: "rooms-subscribe" }],
    [protocol.roomsUnsubscribe(), { type: "rooms-unsubscribe" }],
    [protocol.leave("r"), { type: "leave", room: "r" }],
    [protocol.signal("r", "m-B", "offer", { sdp: "x" }), { type: "signal", room: "r", to: "m-B", kind: "offer", payload: { sdp: "x" } }],
    [protocol.chat("r", "hi"), { type: "chat", room: "r", text: "hi" }],
    [protocol.lockRoom("r", 1), { type: "lock", room: "r", locked: true }],
    [protocol.kick("r", "m-B"), { type: "kick", room: "r", member: "m-B" }],
    [protocol.handHost("r", "m-B"), { type: "host", room: "r", member: "m-B" }],
  ];
  for (const [built, expected] of cases) assert.deepEqual(built, expected);
  const builtTypes = new Set([...cases.map(([m]) => m.type), "hello", "join", "media"]);
  assert.deepEqual(builtTypes, new Set(Object.values(ClientType)), "one builder per client message type");
});

test("names are checked as the server checks them: trimmed, limited in length, no control characters or '/'", () => {
  assert.equal(protocol.nicknameProblem("  Ada  "), null);
  assert.match(protocol.nicknameProblem("   "), /enter a nickname/);
  assert.equal(protocol.nicknameProblem("x".repeat(32)), null);
  assert.match(protocol.nicknameProblem("x".repeat(33)), /longer than 32/);
  assert.match(protocol.nicknameProblem("a\u0007b"), /control characters/);
  assert.match(protocol.nicknameProblem("x".repeat(11), { ...protocol.DEFAULT_LIMITS, maxNicknameLength: 10 }), /longer than 10/);
  assert.equal(protocol.roomNameProblem("standup"), null);
  assert.match(protocol.roomNameProblem("a/b"), /'\/'/);
  assert.match(protocol.roomNameProblem("a\u0085b"), /control characters/);
  assert.match(protocol.roomNameProblem("x".repeat(65)), /longer than 64/);
  assert.equal(protocol.passwordProblem(""), null);
  assert.equal(protocol.passwordProblem("p".repeat(128)), null);
  assert.match(protocol.passwordProblem("p".repeat(129)), /longer than 128/);
});

test("only refusals that a retry cannot fix stop the client", () => {
  assert.deepEqual([...protocol.FINAL_HELLO_CODES].sort(), ["auth_required", "bad_token", "unsupported_version"]);
});
