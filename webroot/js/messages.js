// Words for what went wrong: every refusal and failure the page shows, in plain language and without
// protocol codes or close codes (people cannot act on "room_full" or "code 1006").

import { ErrorCode } from "./protocol.js";

/**
 * A human explanation of an `error` message.
 * @param {{code: string, message?: string, until?: number}} reply the server's error (`kicked` carries `until`)
 * @param {{room?: string|null, passwordTyped?: boolean, maxMembers?: number}} context
 */
export function describeServerError({ code, message, until }, { room = null, passwordTyped = false, maxMembers } = {}) {
  const theRoom = room ? `room “${room}”` : "this room";
  switch (code) {
    case ErrorCode.AUTH_REQUIRED:
      return "This server only admits people with an invitation link. Open the link you were given to join.";
    case ErrorCode.BAD_TOKEN:
      return "Your invitation link is not valid (it may have expired). Ask for a new one.";
    case ErrorCode.ROOM_NOT_ALLOWED:
      return `Your invitation link is for another room: you cannot join ${theRoom}.`;
    case ErrorCode.BAD_PASSWORD:
      return passwordTyped
        ? `Wrong password for ${theRoom}. Check it and press Join again.`
        : `${capitalise(theRoom)} needs a password. Type it in “Room password” and press Join again.`;
    case ErrorCode.PASSWORD_THROTTLED:
      return `Too many wrong passwords. Wait a minute before trying ${theRoom} again.`;
    case ErrorCode.PASSWORD_BUSY:
      return "The server is busy checking passwords. Press Join again in a moment.";
    case ErrorCode.ROOM_CREATION_THROTTLED:
      return "You created too many rooms with a password just now. Wait a minute, or join a room that is already open.";
    case ErrorCode.ROOM_LOCKED:
      return describeLockedRoom(room);
    case ErrorCode.ROOM_FULL:
      return describeFullRoom(room, maxMembers);
    case ErrorCode.KICKED:
      return `You were removed from ${theRoom} by the host. ${describeReturn(until)}`;
    case ErrorCode.NODE_FULL:
      return "This server cannot open more rooms right now. Join a room that is already open, or try again later.";
    case ErrorCode.NOT_HOST:
      return "Only the room's host can do that.";
    case ErrorCode.RATE_LIMITED:
      return "That was too fast for the server. Wait a moment and try again.";
    case ErrorCode.CHAT_TOO_LONG:
      return "That message is too long to send. Shorten it and try again.";
    case ErrorCode.TOO_MANY_ROOMS:
      return "You are already in as many rooms as the server allows. Leave one first.";
    case ErrorCode.RELAY_UNAVAILABLE:
      return "The server cannot reach the rest of its cluster right now. Try again in a moment.";
    case ErrorCode.RELAY_INTERRUPTED:
      return "The server lost touch with the rest of its cluster while sending that; it may not have arrived. Try again if needed.";
    case ErrorCode.INTERNAL:
      return "Something went wrong on the server. Try again in a moment.";
    default:
      return message ? `The server refused that: ${message}.` : "The server refused that.";
  }
}

/** The words for a room that has no place left, from the room list or from the server's refusal. */
export function describeFullRoom(room, maxMembers, count = maxMembers) {
  const theRoom = room ? `Room “${room}”` : "This room";
  const size = Number.isFinite(maxMembers) ? ` (${count} of ${maxMembers} people)` : "";
  return `${theRoom} is full${size}. Try again when someone leaves, or choose another room.`;
}

/** The words for a room whose host let nobody new in, from the room list or from the server's refusal. */
export function describeLockedRoom(room) {
  const theRoom = room ? `Room “${room}”` : "This room";
  return `${theRoom} is locked by its host: nobody new can join right now. Try again later, or choose another room.`;
}

/** When a removed member may come back; `until` is the ban's end (epoch ms) from `kicked`, or absent. */
export function describeReturn(until) {
  if (!Number.isFinite(until)) return "You cannot rejoin it for a while.";
  const minutes = Math.ceil((until - Date.now()) / 60_000);
  if (minutes <= 0) return "You may rejoin it now.";
  const at = new Date(until).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return `You may rejoin it at ${at} (in ${minutes} minute${minutes === 1 ? "" : "s"}).`;
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
