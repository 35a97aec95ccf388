// webroot/js/protocol.js's ErrorCode must list exactly the server's codes (src/main/java/app/noom/protocol/ErrorCode.java),
// under the same names: a code the server adds and the client lacks would reach the page as an unexplained refusal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ErrorCode } from "../../../webroot/js/protocol.js";

const JAVA_SOURCE = new URL("../../main/java/app/noom/protocol/ErrorCode.java", import.meta.url);

/** The enum's constants, in order: the identifiers between `enum ErrorCode {` and the first `;`. */
function javaErrorCodes() {
  const source = readFileSync(JAVA_SOURCE, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
  const body = /enum\s+ErrorCode\s*\{([^;]*);/.exec(source);
  assert.ok(body, "ErrorCode.java declares `enum ErrorCode { ...; }`");
  const names = body[1].split(",").map((name) => name.trim()).filter(Boolean);
  for (const name of names) assert.match(name, /^[A-Z][A-Z0-9_]*$/, `a plain enum constant: ${name}`);
  return names;
}

test("the client knows every error code the server sends, under the server's name, and no other", () => {
  const server = javaErrorCodes();
  assert.ok(server.length > 20, `parsed ${server.length} codes`);
  const expected = Object.fromEntries(server.map((name) => [name, name.toLowerCase()])); // ErrorCode.wire()
  assert.deepEqual({ ...ErrorCode }, expected);
});
