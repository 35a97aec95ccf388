// The App controller's pure parts: the Remove confirmation, the words for a refused join, and the invitation's room hint.
import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { KickConfirmation } from "../../../webroot/js/kick-confirmation.js";
import { describeServerError } from "../../../webroot/js/messages.js";
import { roomClaimOf } from "../../../webroot/js/page-config.js";

test("Remove takes a second click on the same member within the window; a stray click removes nobody", () => {
  mock.timers.enable(); // no options: the same call on Node 18.19+ and 20
  try {
    let expired = 0;
    const kicks = new KickConfirmation({ windowMs: 4000, onExpired: () => expired++ });
    assert.equal(kicks.click("m-B"), false, "first click only asks");
    assert.equal(kicks.pendingId, "m-B");
    assert.equal(kicks.click("m-C"), false, "a click on someone else asks about them instead");
    assert.equal(kicks.pendingId, "m-C");
    assert.equal(kicks.click("m-C"), true, "the second click on the same member confirms");
    assert.equal(kicks.pendingId, null);

    kicks.click("m-B");
    mock.timers.tick(3999);
    assert.equal(kicks.pendingId, "m-B");
    mock.timers.tick(1);
    assert.equal(kicks.pendingId, null, "the wait ran out");
    assert.equal(expired, 1, "and the buttons are redrawn");
    assert.equal(kicks.click("m-B"), false, "a click after the window asks again");

    kicks.cancel();
    mock.timers.tick(5000);
    assert.equal(expired, 1, "a cancelled wait does not expire later");
  } finally {
    mock.timers.reset();
  }
});

test("a refused rejoin tells when the ban ends from the error's until field, never from its message text", () => {
  const until = Date.now() + 5 * 60_000;
  const withField = describeServerError({ code: "kicked", message: "…", until }, { room: "standup" });
  assert.match(withField, /^You were removed from room “standup” by the host\. You may rejoin it at .+ \(in 5 minutes\)\.$/);
  const textOnly = describeServerError({ code: "kicked", message: `you may return at ${until} (epoch ms)` }, { room: "standup" });
  assert.match(textOnly, /You cannot rejoin it for a while\.$/);
});

test("the invitation's room claim pre-fills the room field; anything unreadable is no hint at all", () => {
  const encode = (claims) => Buffer.from(JSON.stringify(claims)).toString("base64url");
  assert.equal(roomClaimOf(`h.${encode({ room: "standup", exp: 1 })}.s`), "standup");
  assert.equal(roomClaimOf(`h.${encode({ room: "ünïcødé-?" })}.s`), "ünïcødé-?");
  assert.equal(roomClaimOf(`h.${encode({ room: 7 })}.s`), null);
  assert.equal(roomClaimOf("not a token"), null);
  assert.equal(roomClaimOf(null), null);
});
