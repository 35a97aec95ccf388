// Peer-to-peer file transfer over one negotiated RTCDataChannel per peer connection ("File transfer" in
// docs/PROTOCOL.md). Nothing here touches the server: offers, answers and chunks all travel on the channel.
// No DOM: the page renders transfers from the `change` events (files-ui.js).

/** Label and fixed SCTP stream id of the channel; both sides create it (negotiated), so neither has to go first. */
export const FILE_CHANNEL = Object.freeze({ label: "noom-files", id: 0 });

/** File bytes per binary frame (each frame also carries a 4-byte transfer id). */
export const CHUNK_BYTES = 16 * 1024;
/** The web client's default size limit; the page may configure another (see main.js). */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

const CHUNK_HEADER_BYTES = 4;
/** Stop queueing chunks above this much unsent data; resume when the channel drains to LOW_WATER. */
const HIGH_WATER_BYTES = 1024 * 1024;
const LOW_WATER_BYTES = 256 * 1024;
/** Offers a peer may have waiting for our answer; more are declined as "busy". */
const MAX_PENDING_OFFERS_PER_PEER = 16;
const MAX_WIRE_NAME_LENGTH = 255;
const MAX_SAVED_NAME_LENGTH = 120;
const MAX_TRANSFER_ID = 0xffffffff;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Control messages (JSON text frames). */
export const FileMessage = Object.freeze({
  OFFER: "file-offer", // sender → receiver
  ACCEPT: "file-accept", // receiver → sender
  DECLINE: "file-decline", // receiver → sender
  CANCEL: "file-cancel", // either way; `side` says who cancelled
  DONE: "file-done", // sender → receiver, after the last chunk
  RECEIVED: "file-received", // receiver → sender, after checking size and SHA-256
});

/** Transfer states. Final ones never change again. */
export const TransferState = Object.freeze({
  OFFERED: "offered",
  SENDING: "sending",
  SENT: "sent", // sender: everything sent, waiting for the receiver's verdict
  RECEIVING: "receiving",
  VERIFYING: "verifying",
  DONE: "done",
  DECLINED: "declined",
  CANCELLED: "cancelled",
  FAILED: "failed",
});

const FINAL_STATES = new Set([TransferState.DONE, TransferState.DECLINED, TransferState.CANCELLED, TransferState.FAILED]);

export class FileTooLargeError extends Error {
  constructor(size, maxBytes) {
    super(`The file is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)}.`);
    this.name = "FileTooLargeError";
  }
}

/**
 * All transfers of this page, to and from every peer.
 * Events: `change` detail: a snapshot of one transfer (see #snapshot) whenever its state or progress changes.
 */
export class FileTransfers extends EventTarget {
  /** Largest file we offer or accept, in bytes. */
  maxBytes;

  #links = new Map(); // peer id → { channel, abort: AbortController, chunksIn, chunksOut }
  #transfers = new Map(); // key → transfer
  #nextId = 1;

  constructor({ maxBytes = DEFAULT_MAX_FILE_BYTES } = {}) {
    super();
    this.maxBytes = maxBytes;
  }

  // --- peers ---

  /** Starts using a peer's file channel (replacing an older one for the same peer). */
  attach(peerId, channel) {
    this.detach(peerId, "connection-lost");
    const abort = new AbortController();
    const link = { channel, abort, chunksIn: 0, chunksOut: 0 };
    channel.binaryType = "arraybuffer";
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    channel.addEventListener("message", (event) => this.#onMessage(peerId, link, event.data), { signal: abort.signal });
    channel.addEventListener("close", () => this.detach(peerId, "connection-lost"), { signal: abort.signal });
    this.#links.set(peerId, link);
  }

  /** Stops using a peer's channel; its unfinished transfers fail with `reason`. */
  detach(peerId, reason = "peer-left") {
    const link = this.#links.get(peerId);
    if (!link) return;
    link.abort.abort();
    this.#links.delete(peerId);
    for (const transfer of this.#transfers.values()) {
      if (transfer.peerId === peerId) this.#finish(transfer, TransferState.FAILED, reason);
    }
  }

  detachAll(reason = "left-call") {
    for (const peerId of [...this.#links.keys()]) this.detach(peerId, reason);
  }

  /** Peer ids whose file channel is open, i.e. who can be offered a file now. */
  reachablePeers() {
    return [...this.#links.entries()].filter(([, link]) => link.channel.readyState === "open").map(([id]) => id);
  }

  /** Frames counted on a peer's channel (tests): { chunksIn, chunksOut, open }. */
  channelStats(peerId) {
    const link = this.#links.get(peerId);
    return link ? { chunksIn: link.chunksIn, chunksOut: link.chunksOut, open: link.channel.readyState === "open" } : null;
  }

  // --- sending ---

  /**
   * Offers a file to one peer, or to every reachable peer when `to` is null (one transfer each).
   * Hashes the file first. Resolves with the new transfers' keys; rejects when the file is over the limit or
   * nobody can be reached.
   * @param {File|Blob} file
   * @param {string|null} to peer id, or null for the whole room
   */
  async offer(file, to = null) {
    if (file.size > this.maxBytes) throw new FileTooLargeError(file.size, this.maxBytes);
    const peers = to ? [to] : this.reachablePeers();
    if (to && !this.reachablePeers().includes(to)) throw new Error("Not connected to that member yet.");
    if (!peers.length) throw new Error("Nobody in the call can receive files yet.");
    const bytes = new Uint8Array(await file.arrayBuffer());
    const sha256 = await sha256Hex(bytes);
    const name = String(file.name ?? "file").slice(0, MAX_WIRE_NAME_LENGTH);
    return peers.map((peerId) => this.#offerTo(peerId, { name, bytes, sha256 }));
  }

  #offerTo(peerId, { name, bytes, sha256 }) {
    const id = this.#nextId++;
    const transfer = this.#add({
      key: `out:${peerId}:${id}`, id, peerId, direction: "send", name, size: bytes.length, sha256, bytes,
      state: TransferState.OFFERED,
    });
    const sent = this.#send(peerId, { type: FileMessage.OFFER, id, name, size: bytes.length, sha256 });
    if (!sent) this.#finish(transfer, TransferState.FAILED, "connection-lost");
    return transfer.key;
  }

  async #pump(transfer) {
    const link = this.#links.get(transfer.peerId);
    const { channel } = link;
    const { bytes } = transfer;
    while (transfer.bytesDone < bytes.length) {
      if (transfer.state !== TransferState.SENDING) return; // cancelled, or the peer went away
      if (channel.readyState !== "open") return this.#finish(transfer, TransferState.FAILED, "connection-lost");
      if (channel.bufferedAmount > HIGH_WATER_BYTES) {
        await drained(channel);
        continue;
      }
      const end = Math.min(transfer.bytesDone + CHUNK_BYTES, bytes.length);
      channel.send(chunkFrame(transfer.id, bytes.subarray(transfer.bytesDone, end)));
      link.chunksOut++;
      transfer.chunks++;
      transfer.bytesDone = end;
      this.#changed(transfer);
    }
    if (transfer.state !== TransferState.SENDING) return;
    this.#send(transfer.peerId, { type: FileMessage.DONE, id: transfer.id });
    transfer.bytes = null; // the receiver's verdict needs no bytes
    this.#setState(transfer, TransferState.SENT);
  }

  // --- receiving ---

  accept(key) {
    const transfer = this.#transfers.get(key);
    if (transfer?.direction !== "receive" || transfer.state !== TransferState.OFFERED) return false;
    transfer.bytes = new Uint8Array(transfer.size);
    this.#setState(transfer, TransferState.RECEIVING);
    this.#send(transfer.peerId, { type: FileMessage.ACCEPT, id: transfer.id });
    if (transfer.size === 0) this.#checkComplete(transfer);
    return true;
  }

  decline(key) {
    const transfer = this.#transfers.get(key);
    if (transfer?.direction !== "receive" || transfer.state !== TransferState.OFFERED) return false;
    this.#send(transfer.peerId, { type: FileMessage.DECLINE, id: transfer.id, reason: "declined" });
    this.#finish(transfer, TransferState.DECLINED, "declined");
    return true;
  }

  /** A received, verified file, ready to save; null otherwise. */
  blobOf(key) {
    const transfer = this.#transfers.get(key);
    if (transfer?.direction !== "receive" || transfer.state !== TransferState.DONE) return null;
    return new Blob([transfer.bytes], { type: "application/octet-stream" });
  }

  // --- either side ---

  /** Cancels an unfinished transfer; the other side is told and stops too. */
  cancel(key, reason = "cancelled") {
    const transfer = this.#transfers.get(key);
    if (!transfer || FINAL_STATES.has(transfer.state)) return false;
    const side = transfer.direction === "send" ? "sender" : "receiver";
    this.#send(transfer.peerId, { type: FileMessage.CANCEL, id: transfer.id, side, reason });
    this.#finish(transfer, TransferState.CANCELLED, reason);
    return true;
  }

  /** Drops a finished transfer and its bytes. */
  forget(key) {
    const transfer = this.#transfers.get(key);
    if (!transfer || !FINAL_STATES.has(transfer.state)) return false;
    return this.#transfers.delete(key);
  }

  get(key) {
    const transfer = this.#transfers.get(key);
    return transfer ? snapshot(transfer) : null;
  }

  list() {
    return [...this.#transfers.values()].map(snapshot);
  }

  // --- wire ---

  #onMessage(peerId, link, data) {
    if (typeof data === "string") {
      this.#onControl(peerId, parseControl(data));
      return;
    }
    link.chunksIn++;
    this.#onChunk(peerId, data);
  }

  #onControl(peerId, message) {
    if (!message) return; // not ours or malformed: ignore, as the doc says
    const incoming = this.#transfers.get(`in:${peerId}:${message.id}`);
    const outgoing = this.#transfers.get(`out:${peerId}:${message.id}`);
    switch (message.type) {
      case FileMessage.OFFER:
        return this.#onOffer(peerId, message);
      case FileMessage.ACCEPT:
        if (outgoing?.state !== TransferState.OFFERED) return;
        this.#setState(outgoing, TransferState.SENDING);
        return void this.#pump(outgoing).catch((error) => this.#finish(outgoing, TransferState.FAILED, String(error)));
      case FileMessage.DECLINE:
        if (outgoing?.state === TransferState.OFFERED) this.#finish(outgoing, TransferState.DECLINED, textOr(message.reason, "declined"));
        return;
      case FileMessage.CANCEL: {
        const transfer = message.side === "sender" ? incoming : message.side === "receiver" ? outgoing : null;
        if (transfer) this.#finish(transfer, TransferState.CANCELLED, textOr(message.reason, "cancelled"));
        return;
      }
      case FileMessage.DONE:
        if (incoming?.state === TransferState.RECEIVING) this.#checkComplete(incoming, true);
        return;
      case FileMessage.RECEIVED:
        if (outgoing?.state !== TransferState.SENT) return;
        if (message.ok === true) this.#setState(outgoing, TransferState.DONE);
        else this.#finish(outgoing, TransferState.FAILED, textOr(message.reason, "rejected"));
        return;
      default:
    }
  }

  #onOffer(peerId, { id, name, size, sha256 }) {
    const key = `in:${peerId}:${id}`;
    if (this.#transfers.has(key)) return; // a repeated offer
    const valid = typeof name === "string" && name.length <= MAX_WIRE_NAME_LENGTH && Number.isSafeInteger(size) && size >= 0
      && typeof sha256 === "string" && SHA256_HEX.test(sha256);
    const transfer = this.#add({
      key, id, peerId, direction: "receive", name: valid ? name : "", size: valid ? size : 0, sha256: valid ? sha256 : null,
      state: TransferState.OFFERED,
    });
    const pending = this.list().filter((t) => t.peerId === peerId && t.direction === "receive" && t.state === TransferState.OFFERED);
    const refusal = !valid ? "invalid" : size > this.maxBytes ? "too-large" : pending.length > MAX_PENDING_OFFERS_PER_PEER ? "busy" : null;
    if (!refusal) return;
    this.#send(peerId, { type: FileMessage.DECLINE, id, reason: refusal });
    this.#finish(transfer, TransferState.DECLINED, refusal);
  }

  #onChunk(peerId, buffer) {
    if (buffer.byteLength <= CHUNK_HEADER_BYTES) return;
    const id = new DataView(buffer).getUint32(0);
    const transfer = this.#transfers.get(`in:${peerId}:${id}`);
    if (transfer?.state !== TransferState.RECEIVING) return; // e.g. still in flight when we cancelled
    const data = new Uint8Array(buffer, CHUNK_HEADER_BYTES);
    if (data.length > CHUNK_BYTES || transfer.bytesDone + data.length > transfer.size) {
      this.#abort(transfer, "too-much-data"); // more than announced (or oversized frames): the sender lied or is broken
      return;
    }
    transfer.bytes.set(data, transfer.bytesDone);
    transfer.bytesDone += data.length;
    transfer.chunks++;
    this.#changed(transfer);
  }

  // After `file-done` (or accepting an empty file): the size must match and the SHA-256 must be the announced one.
  async #checkComplete(transfer, senderSaidDone = false) {
    if (transfer.size > 0 && !senderSaidDone) return;
    if (transfer.bytesDone !== transfer.size) return this.#reject(transfer, "size-mismatch");
    this.#setState(transfer, TransferState.VERIFYING);
    transfer.receivedSha256 = await sha256Hex(transfer.bytes);
    if (transfer.state !== TransferState.VERIFYING) return; // cancelled meanwhile
    if (transfer.receivedSha256 !== transfer.sha256) return this.#reject(transfer, "hash-mismatch");
    transfer.verified = true;
    this.#send(transfer.peerId, { type: FileMessage.RECEIVED, id: transfer.id, ok: true });
    this.#setState(transfer, TransferState.DONE);
  }

  #abort(transfer, reason) {
    this.#send(transfer.peerId, { type: FileMessage.CANCEL, id: transfer.id, side: "receiver", reason });
    this.#finish(transfer, TransferState.FAILED, reason);
  }

  #reject(transfer, reason) {
    this.#send(transfer.peerId, { type: FileMessage.RECEIVED, id: transfer.id, ok: false, reason });
    this.#finish(transfer, TransferState.FAILED, reason);
  }

  #send(peerId, message) {
    const channel = this.#links.get(peerId)?.channel;
    if (channel?.readyState !== "open") return false;
    try {
      channel.send(JSON.stringify(message));
      return true;
    } catch {
      return false; // closing under our feet: the close event fails the transfers
    }
  }

  // --- bookkeeping ---

  #add(fields) {
    const transfer = { reason: null, bytesDone: 0, chunks: 0, receivedSha256: null, verified: false, ...fields };
    transfer.safeName = safeFileName(transfer.name);
    this.#transfers.set(transfer.key, transfer);
    this.#changed(transfer);
    return transfer;
  }

  #setState(transfer, state) {
    transfer.state = state;
    this.#changed(transfer);
  }

  #finish(transfer, state, reason) {
    if (FINAL_STATES.has(transfer.state)) return;
    transfer.reason = reason;
    if (state !== TransferState.DONE) transfer.bytes = null; // nothing left to send or save
    this.#setState(transfer, state);
  }

  #changed(transfer) {
    this.dispatchEvent(new CustomEvent("change", { detail: snapshot(transfer) }));
  }
}

/** What the page and the tests may read about a transfer. `bytes` is how many bytes were sent / received. */
function snapshot(t) {
  return {
    key: t.key, id: t.id, peerId: t.peerId, direction: t.direction, name: t.name, safeName: t.safeName, size: t.size,
    sha256: t.sha256, state: t.state, reason: t.reason, bytes: t.bytesDone, chunks: t.chunks,
    receivedSha256: t.receivedSha256, verified: t.verified, final: FINAL_STATES.has(t.state),
  };
}

function parseControl(text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return null;
  }
  const known = message && typeof message === "object" && Object.values(FileMessage).includes(message.type);
  const validId = Number.isInteger(message?.id) && message.id >= 1 && message.id <= MAX_TRANSFER_ID;
  return known && validId ? message : null;
}

function chunkFrame(id, data) {
  const frame = new Uint8Array(CHUNK_HEADER_BYTES + data.length);
  new DataView(frame.buffer).setUint32(0, id);
  frame.set(data, CHUNK_HEADER_BYTES);
  return frame;
}

/** Resolves once the channel's buffer drained to its low-water mark (or the channel closed). */
function drained(channel) {
  return new Promise((resolve) => {
    const controller = new AbortController();
    const done = () => {
      controller.abort();
      resolve();
    };
    channel.addEventListener("bufferedamountlow", done, { signal: controller.signal });
    channel.addEventListener("close", done, { signal: controller.signal });
  });
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function textOr(value, fallback) {
  return typeof value === "string" && value && value.length <= 64 ? value : fallback;
}

// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/g;
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * A name that is safe to save a file under: only the last path component, no control or bidi characters, no
 * characters Windows forbids, no leading dots (hidden files, "..") or trailing dots and spaces, at most 120
 * characters with the extension kept. Never empty.
 */
export function safeFileName(name) {
  let base = String(name ?? "").split(/[\\/]/).pop();
  base = base.replace(UNSAFE_CHARACTERS, "_").replace(/^[\s.]+/, "").replace(/[\s.]+$/, "");
  if (WINDOWS_DEVICE_NAMES.test(base)) base = `_${base}`;
  if (base.length > MAX_SAVED_NAME_LENGTH) {
    const dot = base.lastIndexOf(".");
    const extension = dot > 0 && base.length - dot <= 16 ? base.slice(dot) : "";
    base = base.slice(0, MAX_SAVED_NAME_LENGTH - extension.length).replace(/[\uD800-\uDBFF]$/, "") + extension;
  }
  return base || "download";
}

export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
