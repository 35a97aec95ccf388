// TURN credentials expire: a long call re-reads the ICE servers from the node before an ICE restart.

import { ICE_SERVERS_PATH } from "./protocol.js";

/** Fresh ICE servers from the node (TURN credentials expire, so a long call re-reads them). */
export async function fetchIceServers(location, credential = null) {
  const headers = credential ? { Authorization: `Bearer ${credential}` } : {};
  const response = await fetch(new URL(ICE_SERVERS_PATH, location.href), { cache: "no-store", headers });
  if (!response.ok) throw new Error(`ICE servers: HTTP ${response.status}`);
  const body = await response.json();
  return Array.isArray(body.iceServers) ? body.iceServers : [];
}
