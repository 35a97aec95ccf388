// What the page was opened with: the address (?room=, ?nickname=, ?relay=1, ?token=), the operator's <meta> settings
// and the nickname remembered from last time. Read once at start-up; nothing here changes afterwards.

import { DEFAULT_MAX_FILE_BYTES } from "./files.js";

const NICKNAME_STORAGE_KEY = "noom.nickname";

/**
 * @returns {{iceTransportPolicy: "all"|"relay", joinToken: string|null, nickname: string, room: string, maxFileBytes: number}}
 */
export function readPageConfig() {
  const params = new URLSearchParams(location.search);
  // ?token=<JWT>: an invitation (join token) for servers that require one. It is a secret: kept in memory only (never
  // stored, shown or logged) and taken out of the address bar, so it is not shared along with a screenshot or a copied link.
  const joinToken = takeTokenFromAddress(params);
  return {
    // ?relay=1 forces TURN, to check a deployment's relay works (and for the TURN tests).
    iceTransportPolicy: params.get("relay") === "1" ? "relay" : "all",
    joinToken,
    nickname: params.get("nickname") ?? readStoredNickname() ?? "",
    room: params.get("room") ?? roomClaimOf(joinToken) ?? "",
    maxFileBytes: configuredMaxFileBytes(),
  };
}

/** Reads ?token= and removes it from the address bar (history.replaceState; the page is not reloaded). */
function takeTokenFromAddress(params) {
  const token = params.get("token");
  if (token === null) return null;
  params.delete("token");
  const query = params.toString();
  try {
    history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
  } catch {
    // replaceState can be refused (e.g. sandboxed frames); the token then stays in the address bar
  }
  return token.trim() || null;
}

/** The room an invitation is for, to pre-fill the room field. Only a hint: the server verifies the token. */
export function roomClaimOf(token) {
  if (!token) return null;
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
    return typeof claims.room === "string" ? claims.room : null;
  } catch {
    return null;
  }
}

/** The operator sets the file size limit in index.html (<meta name="noom-max-file-bytes">). */
function configuredMaxFileBytes() {
  const configured = Number(document.querySelector('meta[name="noom-max-file-bytes"]')?.content);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_FILE_BYTES;
}

function readStoredNickname() {
  try {
    return localStorage.getItem(NICKNAME_STORAGE_KEY);
  } catch {
    return null; // storage can be disabled; the nickname is then simply not remembered
  }
}

export function storeNickname(nickname) {
  try {
    localStorage.setItem(NICKNAME_STORAGE_KEY, nickname);
  } catch {
    // see readStoredNickname
  }
}
