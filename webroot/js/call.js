// A Call is our presence in one room: the full mesh of PeerLinks (one per other member),
// the members' public state, and the routing of room messages to them.

import { ErrorCode, ServerType, chat, handHost, join, kick, leave, lockRoom, media, signal } from "./protocol.js";
import { PeerLink } from "./peer.js";
import { fetchIceServers } from "./ice-servers.js";

// Errors that only mean "that member/room is already gone", normal while people come and go.
const DEPARTURE_RACE_CODES = [ErrorCode.UNKNOWN_MEMBER, ErrorCode.NOT_IN_ROOM];
const ALL_ERROR_CODES = Object.values(ErrorCode);

const DEFAULT_MEMBER_MEDIA = Object.freeze({ audioMuted: false, videoOff: false, screen: false });

// In a mesh every member encodes and uploads one video stream per peer, so upload bandwidth and CPU grow with the
// room. The more peers, the smaller each stream. Screen shares keep full resolution (text must stay legible)
// and trade frame rate instead.
const CAMERA_ENCODING_BY_PEER_COUNT = [
  { upToPeers: 1, encoding: { maxBitrate: 1_200_000, maxFramerate: 30, scaleResolutionDownBy: 1 } },
  { upToPeers: 3, encoding: { maxBitrate: 600_000, maxFramerate: 20, scaleResolutionDownBy: 1.5 } },
  { upToPeers: Infinity, encoding: { maxBitrate: 350_000, maxFramerate: 15, scaleResolutionDownBy: 2 } },
];
/** TURN credentials last TURN_TTL_SECONDS (default an hour): peers created late in a long call need new ones. */
const ICE_SERVER_REFRESH_MS = 10 * 60 * 1000;

const SCREEN_ENCODING = Object.freeze({ maxBitrate: 1_000_000, maxFramerate: 8, scaleResolutionDownBy: 1 });

export function videoEncodingFor(peerCount, sharingScreen) {
  if (sharingScreen) return SCREEN_ENCODING;
  return CAMERA_ENCODING_BY_PEER_COUNT.find(({ upToPeers }) => peerCount <= upToPeers).encoding;
}

/**
 * Events (CustomEvent):
 * - `member-added` / `member-updated` detail: member { id, nickname, media }
 * - `member-removed` detail: member id
 * - `peer-added` detail: { id, peer } a new PeerLink (its data channels exist, not necessarily open yet)
 * - `remote-media` detail: { id, stream } whenever a member's incoming tracks change
 * - `peer-state` detail: { id, state } RTCPeerConnection connectionState
 * - `chat` detail: the chat message from the server
 * - `rejoined` after a reconnect that could not resume the old session
 * - `resync` detail: room; the server lost some of the room's messages for us (`room-resync`): members reconciled,
 *   ICE restarted with the peers still here
 * - `policy` detail: the room's policy { host, locked, private, passwordProtected } whenever it is learnt or changes
 * - `kicked` detail: { room, by, byNickname, until } the host removed us; the call is over (peers closed, room left)
 * - `error` detail: Error
 */
export class Call extends EventTarget {
  /** The trimmed name the server returned in `joined`. */
  room;
  memberId = null;
  /** @type {Map<string, {id: string, nickname: string, media: object}>} the others */
  members = new Map();
  /** @type {Map<string, PeerLink>} */
  peers = new Map();
  /** The room's policy from `joined` / `room-updated`: { host, locked, private, passwordProtected }, or null. */
  policy = null;

  #signaling;
  #media;
  #rtcConfiguration;
  #listeners = null; // AbortController for our signalling listeners
  #iceRefreshTimer = null;
  #departed = new Set(); // member ids that left: a straggling signal from them must not resurrect a peer
  #left = false;
  #dataChannels;
  #access; // { password, privateRoom } for join (and for re-joining after an unresumable reconnect)

  /**
   * @param {import("./signaling.js").SignalingClient} signaling connected client
   * @param {import("./media.js").LocalMedia} localMedia started local media (may hold no tracks)
   * @param {string} room room name as typed
   * @param {{iceTransportPolicy?: RTCIceTransportPolicy, dataChannels?: {label: string, id: number}[],
   *   password?: string, privateRoom?: boolean}} options
   *   dataChannels: negotiated channels every PeerLink opens (see PeerLink);
   *   password: the room's password (sets it when this join creates the room); privateRoom: keep a new room unlisted
   */
  constructor(signaling, localMedia, room, { iceTransportPolicy = "all", dataChannels = [], password = "", privateRoom = false } = {}) {
    super();
    this.#signaling = signaling;
    this.#media = localMedia;
    this.room = room;
    this.#rtcConfiguration = { iceTransportPolicy };
    this.#dataChannels = dataChannels;
    this.#access = { password, privateRoom };
  }

  /** Whether we are the room's host (and may lock, kick and hand the role over). */
  get isHost() {
    return !!this.memberId && this.policy?.host === this.memberId;
  }

  get localMedia() {
    return this.#media;
  }

  /**
   * Joins the room; rejects (ServerError) when the server refuses, e.g. room_full, bad_password, room_locked.
   * The refusal is left to the caller to explain: it is not announced as a `server-error`.
   */
  async join() {
    this.#listen();
    try {
      await this.#enterRoom();
    } catch (error) {
      this.#listeners.abort();
      throw error;
    }
  }

  async #enterRoom() {
    const joined = await this.#signaling.request(join(this.room, this.#access), { silentCodes: ALL_ERROR_CODES });
    this.room = joined.room;
    this.memberId = joined.memberId;
    this.#setPolicy(joined.policy ?? null);
    // ICE servers can change between sessions (e.g. TURN credentials), so read them at every (re)join.
    this.#rtcConfiguration = { ...this.#rtcConfiguration, iceServers: this.#signaling.iceServers };
    clearInterval(this.#iceRefreshTimer);
    this.#iceRefreshTimer = setInterval(() => this.#freshIceServers().catch(() => {}), ICE_SERVER_REFRESH_MS);
    // Everyone already here joined before us: we are the impolite side and will make the offers.
    for (const member of joined.members) this.#addMember(member, { polite: false });
    // Others saw us arrive with default media; tell them if we are muted, camera-less or sharing.
    const state = this.#media.state;
    if (state.audioMuted || state.videoOff || state.screen) this.#announceMedia();
  }

  #listen() {
    this.#listeners = new AbortController();
    const on = (type, handler) =>
      this.#signaling.addEventListener(type, (event) => handler(event.detail), { signal: this.#listeners.signal });
    const inThisRoom = (handler) => (message) => {
      if (message.room === this.room) handler(message);
    };

    on(ServerType.MEMBER_JOINED, inThisRoom(({ member }) => this.#addMember(member, { polite: true })));
    on(ServerType.MEMBER_LEFT, inThisRoom(({ memberId }) => this.#memberLeft(memberId)));
    on(ServerType.MEMBER_UPDATED, inThisRoom(({ member }) => this.#updateMember(member)));
    on(ServerType.SIGNAL, inThisRoom((message) => this.#routeSignal(message)));
    on(ServerType.CHAT, inThisRoom((message) => this.#emit("chat", message)));
    on(ServerType.ROOM_UPDATED, inThisRoom((message) => this.#setPolicy(message)));
    on(ServerType.KICKED, inThisRoom((message) => this.#kicked(message)));
    on(ServerType.ROOM_RESYNC, inThisRoom((message) => this.#resync(message)));
    on(ServerType.WELCOME, (welcome) => {
      if (!welcome.resumed) this.#rejoin();
    });
  }

  // The node could not resume our session: our old member id is gone, so every peer has to start over.
  async #rejoin() {
    for (const id of [...this.members.keys()]) this.#removeMember(id);
    try {
      await this.#enterRoom();
      this.#emit("rejoined", this.room);
    } catch (error) {
      this.#emit("error", error);
    }
  }

  // Messages of the room may have been lost: `members` is who is there now (us included). Who is not listed left; who is
  // new joined (handled as member-joined); with everyone else a signal may be missing, so ICE starts over.
  #resync({ members }) {
    const listed = new Map(members.filter((m) => m.id !== this.memberId).map((m) => [m.id, m]));
    for (const id of [...this.members.keys()]) if (!listed.has(id)) this.#memberLeft(id);
    for (const member of listed.values()) {
      if (this.members.has(member.id)) {
        this.#updateMember(member);
        this.peers.get(member.id)?.restart();
      } else {
        this.#departed.delete(member.id);
        this.#addMember(member, { polite: true });
      }
    }
    this.#emit("resync", this.room);
  }

  #setPolicy(policy) {
    this.policy = policy
      ? { host: policy.host ?? null, locked: !!policy.locked, private: !!policy.private, passwordProtected: !!policy.passwordProtected }
      : null;
    this.#emit("policy", this.policy);
  }

  // The server already took us out of the room: close everything, without a `leave`.
  #kicked({ room, by, until }) {
    if (this.#left) return;
    const byNickname = this.members.get(by)?.nickname ?? null;
    this.#close();
    this.#emit("kicked", { room, by, byNickname, until });
  }

  #addMember(member, { polite }) {
    if (member.id === this.memberId) return;
    const known = { id: member.id, nickname: member.nickname ?? member.id, media: { ...DEFAULT_MEMBER_MEDIA, ...member.media } };
    this.members.set(known.id, known);
    this.#emit("member-added", known);
    if (!this.peers.has(known.id)) this.#connectTo(known.id, polite);
  }

  #connectTo(remoteId, polite) {
    const peer = new PeerLink({
      remoteId,
      polite,
      rtcConfiguration: this.#rtcConfiguration,
      tracks: { audio: this.#media.microphoneTrack, video: this.#media.outgoingVideoTrack },
      sendSignal: (kind, payload) => this.#sendSignal(remoteId, kind, payload),
      freshIceServers: () => this.#freshIceServers(),
      dataChannels: this.#dataChannels,
    });
    peer.addEventListener("track", () => this.#emit("remote-media", { id: remoteId, stream: peer.remoteStream }));
    peer.addEventListener("connectionstatechange", (event) => this.#emit("peer-state", { id: remoteId, state: event.detail }));
    peer.addEventListener("error", (event) => this.#emit("error", event.detail));
    this.peers.set(remoteId, peer);
    this.#emit("peer-added", { id: remoteId, peer });
    this.#adaptVideoEncodings();
    return peer;
  }

  #adaptVideoEncodings() {
    const encoding = videoEncodingFor(this.peers.size, this.#media.sharingScreen);
    for (const peer of this.peers.values()) peer.setVideoEncoding(encoding);
  }

  async #freshIceServers() {
    const iceServers = await fetchIceServers(location, this.#signaling.iceServersCredential);
    this.#rtcConfiguration = { ...this.#rtcConfiguration, iceServers };
    return iceServers;
  }

  #updateMember(member) {
    const known = this.members.get(member.id);
    if (!known) return;
    if (member.nickname !== undefined) known.nickname = member.nickname;
    if (member.media) known.media = { ...known.media, ...member.media };
    this.#emit("member-updated", known);
  }

  #memberLeft(memberId) {
    this.#departed.add(memberId);
    this.#removeMember(memberId);
  }

  #removeMember(memberId) {
    this.peers.get(memberId)?.close();
    if (this.peers.delete(memberId)) this.#adaptVideoEncodings();
    if (this.members.delete(memberId)) this.#emit("member-removed", memberId);
  }

  #routeSignal({ from, kind, payload }) {
    let peer = this.peers.get(from);
    if (!peer) {
      if (this.#departed.has(from)) return;
      // Across cluster nodes a signal may overtake member-joined; an unknown sender can only be a newcomer.
      this.#addMember({ id: from }, { polite: true });
      peer = this.peers.get(from);
    }
    peer?.receiveSignal(kind, payload);
  }

  #sendSignal(to, kind, payload) {
    this.#signaling
      .request(signal(this.room, to, kind, payload), { silentCodes: DEPARTURE_RACE_CODES })
      .catch(() => {}); // shown by the page via `server-error` when it matters
  }

  #announceMedia() {
    this.#signaling.request(media(this.room, this.#media.state)).catch(() => {});
  }

  // --- local controls ---

  setAudioMuted(muted) {
    this.#media.setAudioMuted(muted);
    this.#announceMedia();
  }

  setVideoOff(off) {
    this.#media.setVideoOff(off);
    this.#announceMedia();
  }

  /** Switches camera on every peer with replaceTrack (no renegotiation), then releases the old camera. */
  async switchCamera(deviceId) {
    const { previous, next } = await this.#media.openCamera(deviceId);
    // While sharing the screen peers keep seeing the screen; the new camera takes over when sharing stops.
    if (!this.#media.sharingScreen) await this.#sendOnAllPeers("video", next);
    if (previous !== next) previous?.stop();
  }

  async switchMicrophone(deviceId) {
    const { previous, next } = await this.#media.openMicrophone(deviceId);
    await this.#sendOnAllPeers("audio", next);
    if (previous !== next) previous?.stop();
  }

  /** Asks again for a refused or missing camera/microphone and sends what it got to every peer (renegotiating). */
  async addMissingDevices() {
    const problems = await this.#media.addMissing();
    if (this.#media.microphoneTrack) await this.#sendOnAllPeers("audio", this.#media.microphoneTrack);
    if (this.#media.cameraTrack && !this.#media.sharingScreen) await this.#sendOnAllPeers("video", this.#media.cameraTrack);
    this.#adaptVideoEncodings();
    this.#announceMedia();
    return problems;
  }

  async startScreenShare() {
    const track = await this.#media.startScreen(() => this.stopScreenShare());
    await this.#sendOnAllPeers("video", track);
    this.#adaptVideoEncodings();
    this.#announceMedia();
  }

  async stopScreenShare() {
    if (!this.#media.sharingScreen) return;
    this.#media.stopScreen();
    await this.#sendOnAllPeers("video", this.#media.cameraTrack);
    this.#adaptVideoEncodings();
    this.#announceMedia();
  }

  async #sendOnAllPeers(kind, track) {
    await Promise.all([...this.peers.values()].map((peer) => peer.replaceTrack(kind, track)));
  }

  sendChat(text) {
    return this.#signaling.request(chat(this.room, text));
  }

  // --- host controls: the server checks that we are host (else not_host) ---

  setLocked(locked) {
    return this.#signaling.request(lockRoom(this.room, locked));
  }

  kick(memberId) {
    return this.#signaling.request(kick(this.room, memberId), { silentCodes: DEPARTURE_RACE_CODES });
  }

  makeHost(memberId) {
    return this.#signaling.request(handHost(this.room, memberId), { silentCodes: DEPARTURE_RACE_CODES });
  }

  #close() {
    this.#left = true;
    this.#listeners?.abort();
    clearInterval(this.#iceRefreshTimer);
    for (const id of [...this.peers.keys()]) this.#removeMember(id);
  }

  /** Closes every peer and leaves the room. Local media stays with its owner. */
  async leave() {
    if (this.#left) return;
    this.#close();
    await this.#signaling.request(leave(this.room), { silentCodes: DEPARTURE_RACE_CODES }).catch(() => {});
  }

  /** Per remote member: receive stats plus what we send them. Used by tests via window.noom.stats(). */
  async stats() {
    const entries = await Promise.all(
      [...this.peers.entries()].map(async ([id, peer]) => {
        const member = this.members.get(id);
        return [
          id,
          {
            ...(await peer.stats()),
            nickname: member?.nickname ?? null,
            media: member?.media ?? null,
            connectionState: peer.pc.connectionState,
            polite: peer.polite,
            sentAudio: describeTrack(peer.sentTrack("audio")),
            sentVideo: describeTrack(peer.sentTrack("video")),
            audioEnabled: peer.sentTrack("audio")?.enabled ?? false,
          },
        ];
      }),
    );
    return Object.fromEntries(entries);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

function describeTrack(track) {
  if (!track) return null;
  return { id: track.id, label: track.label, enabled: track.enabled, readyState: track.readyState, deviceId: track.getSettings().deviceId ?? null };
}
