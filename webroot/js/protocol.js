// Browser mirror of docs/PROTOCOL.md (version 1). Only message shapes and constants live here:
// no sockets, no DOM, so the module can be reasoned about against the doc line by line.

export const PROTOCOL_VERSION = 1;

/** Paths the node serves the signalling transport on. */
export const SIGNAL_PATH = "/signal";
/** GET → {"iceServers":[…]} with fresh TURN credentials (they expire), used before ICE restarts. */
export const ICE_SERVERS_PATH = "/api/ice-servers";

/** WebSocket close codes the server uses (see "Close codes"). */
export const CloseCode = Object.freeze({
  DRAINING: 1012,
  HELLO_TIMEOUT: 4001,
  IDLE_TIMEOUT: 4002,
  RESUMED_ELSEWHERE: 4003,
  SLOW_CONSUMER: 4008,
});

/** Client → server message types. */
export const ClientType = Object.freeze({
  HELLO: "hello",
  PING: "ping",
  NICKNAME: "nickname",
  ROOMS_SUBSCRIBE: "rooms-subscribe",
  ROOMS_UNSUBSCRIBE: "rooms-unsubscribe",
  JOIN: "join",
  LEAVE: "leave",
  MEDIA: "media",
  SIGNAL: "signal",
  CHAT: "chat",
  LOCK: "lock",
  KICK: "kick",
  HOST: "host",
});

/** Server → client message types. */
export const ServerType = Object.freeze({
  WELCOME: "welcome",
  PONG: "pong",
  ACK: "ack",
  ERROR: "error",
  ROOMS: "rooms",
  ROOM_CHANGED: "room-changed",
  JOINED: "joined",
  MEMBER_JOINED: "member-joined",
  MEMBER_LEFT: "member-left",
  MEMBER_UPDATED: "member-updated",
  SIGNAL: "signal",
  CHAT: "chat",
  GOAWAY: "goaway",
  ROOM_UPDATED: "room-updated",
  KICKED: "kicked",
  ROOM_RESYNC: "room-resync",
});

/** `signal.kind` values. */
export const SignalKind = Object.freeze({
  OFFER: "offer",
  ANSWER: "answer",
  CANDIDATE: "candidate",
  RENEGOTIATE: "renegotiate",
});

/** Error codes, so the UI can react to the ones it understands: exactly ErrorCode.java's (a node test checks). */
export const ErrorCode = Object.freeze({
  MALFORMED_JSON: "malformed_json",
  FRAME_TOO_LARGE: "frame_too_large",
  BINARY_NOT_SUPPORTED: "binary_not_supported",
  UNKNOWN_TYPE: "unknown_type",
  INVALID_MESSAGE: "invalid_message",
  HELLO_REQUIRED: "hello_required",
  ALREADY_HELLO: "already_hello",
  UNSUPPORTED_VERSION: "unsupported_version",
  BAD_NICKNAME: "bad_nickname",
  BAD_ROOM_NAME: "bad_room_name",
  ROOM_FULL: "room_full",
  TOO_MANY_ROOMS: "too_many_rooms",
  ALREADY_IN_ROOM: "already_in_room",
  NOT_IN_ROOM: "not_in_room",
  UNKNOWN_MEMBER: "unknown_member",
  BAD_SIGNAL: "bad_signal",
  CHAT_TOO_LONG: "chat_too_long",
  AUTH_REQUIRED: "auth_required",
  BAD_TOKEN: "bad_token",
  ROOM_NOT_ALLOWED: "room_not_allowed",
  BAD_PASSWORD: "bad_password",
  PASSWORD_THROTTLED: "password_throttled",
  PASSWORD_BUSY: "password_busy",
  ROOM_CREATION_THROTTLED: "room_creation_throttled",
  ROOM_LOCKED: "room_locked",
  KICKED: "kicked",
  NOT_HOST: "not_host",
  NODE_FULL: "node_full",
  RATE_LIMITED: "rate_limited",
  ORIGIN_NOT_ALLOWED: "origin_not_allowed",
  TOO_MANY_CONNECTIONS: "too_many_connections",
  RELAY_UNAVAILABLE: "relay_unavailable",
  RELAY_INTERRUPTED: "relay_interrupted",
  INTERNAL: "internal",
});

/** `hello` refusals that repeat identically on every reconnect: the client stops instead of retrying. */
export const FINAL_HELLO_CODES = Object.freeze([ErrorCode.AUTH_REQUIRED, ErrorCode.BAD_TOKEN, ErrorCode.UNSUPPORTED_VERSION]);

/** Limits of `join.password` (see "Creating a room"). */
export const MAX_PASSWORD_LENGTH = 128;

/** Defaults from the doc, used until `welcome.limits` says otherwise. */
export const DEFAULT_LIMITS = Object.freeze({
  maxFrameBytes: 65536,
  maxMembersPerRoom: 6,
  maxRoomsPerSession: 3,
  maxNicknameLength: 32,
  maxRoomNameLength: 64,
  maxChatLength: 2000,
  idleTimeoutSeconds: 45,
  pingIntervalSeconds: 15,
});

// --- builders: each returns a message without `id`; the signalling client stamps the id. ---

/** `token`: the join token (JWT) when the server requires one; secret, never shown or logged. */
export function hello(nickname, resume, token) {
  const message = { type: ClientType.HELLO, version: PROTOCOL_VERSION, nickname };
  if (token) message.token = token;
  if (resume) message.resume = { token: resume.token, lastSeq: resume.lastSeq };
  return message;
}

export const ping = () => ({ type: ClientType.PING });
export const setNickname = (nickname) => ({ type: ClientType.NICKNAME, nickname });
export const roomsSubscribe = () => ({ type: ClientType.ROOMS_SUBSCRIBE });
export const roomsUnsubscribe = () => ({ type: ClientType.ROOMS_UNSUBSCRIBE });
/** `password` and `privateRoom` only matter when this join creates the room; `password` is also checked on later joins. */
export function join(room, { password = "", privateRoom = false } = {}) {
  const message = { type: ClientType.JOIN, room };
  if (password) message.password = password;
  if (privateRoom) message.private = true;
  return message;
}
export const leave = (room) => ({ type: ClientType.LEAVE, room });

/** All three booleans are required by the server. */
export function media(room, { audioMuted, videoOff, screen }) {
  return { type: ClientType.MEDIA, room, audioMuted: !!audioMuted, videoOff: !!videoOff, screen: !!screen };
}

export function signal(room, to, kind, payload) {
  return { type: ClientType.SIGNAL, room, to, kind, payload };
}

export const chat = (room, text) => ({ type: ClientType.CHAT, room, text });

// --- host controls (the server answers not_host to anyone else) ---

export const lockRoom = (room, locked) => ({ type: ClientType.LOCK, room, locked: !!locked });
export const kick = (room, member) => ({ type: ClientType.KICK, room, member });
export const handHost = (room, member) => ({ type: ClientType.HOST, room, member });

// --- client-side validation mirroring the server's rules, so obvious mistakes never leave the page ---

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** @returns {string|null} a human reason the nickname would be refused, or null when fine. */
export function nicknameProblem(nickname, limits = DEFAULT_LIMITS) {
  const trimmed = nickname.trim();
  if (!trimmed) return "Please enter a nickname.";
  if (trimmed.length > limits.maxNicknameLength) return `Nickname is longer than ${limits.maxNicknameLength} characters.`;
  if (CONTROL_CHARACTERS.test(trimmed)) return "Nickname contains control characters.";
  return null;
}

/** @returns {string|null} a human reason the room password would be refused, or null when fine (empty = none). */
export function passwordProblem(password) {
  if (password.length > MAX_PASSWORD_LENGTH) return `Room password is longer than ${MAX_PASSWORD_LENGTH} characters.`;
  return null;
}

/** @returns {string|null} a human reason the room name would be refused, or null when fine. */
export function roomNameProblem(room, limits = DEFAULT_LIMITS) {
  const trimmed = room.trim();
  if (!trimmed) return "Please enter a room name.";
  if (trimmed.length > limits.maxRoomNameLength) return `Room name is longer than ${limits.maxRoomNameLength} characters.`;
  if (CONTROL_CHARACTERS.test(trimmed) || trimmed.includes("/")) return "Room name contains '/' or control characters.";
  return null;
}
