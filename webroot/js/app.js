// The app controller: owns the page's state (the call in progress, the local devices, a join waiting on the pre-join
// screen, a pending Remove confirmation) and decides what happens when the user presses something. The parts it
// drives — signalling client, Call, panels, tiles — keep their own state; nothing lives at module level.

import { ErrorCode, nicknameProblem, passwordProblem, roomNameProblem, setNickname } from "./protocol.js";
import { NotConnectedError, ServerError } from "./signaling-errors.js";
import { LocalMedia, describeMediaError } from "./media.js";
import { Call } from "./call.js";
import { CallControls } from "./call-controls.js";
import { ChatPanel } from "./chat.js";
import { FILE_CHANNEL, FileTransfers } from "./files.js";
import { FilesPanel } from "./files-ui.js";
import { KickConfirmation } from "./kick-confirmation.js";
import { Lobby } from "./lobby.js";
import { describeFullRoom, describeLockedRoom, describeServerError } from "./messages.js";
import { storeNickname } from "./page-config.js";
import { PreJoin } from "./prejoin.js";
import { VideoGrid } from "./tiles.js";
import { CallView } from "./call-view.js";
import * as ui from "./ui.js";

export class App {
  #signaling;
  #config;
  /** @type {Call|null} */ #call = null;
  /** @type {LocalMedia|null} */ #localMedia = null;
  #pendingJoin = null; // { roomName, password, privateRoom } while the pre-join screen is shown
  #kicks = new KickConfirmation({ onExpired: () => this.#view?.renderParticipants() });
  #view = null; // the CallView of the call in progress
  #passwordInput = ui.byId("room-password");
  #joinButton = ui.byId("join");
  #prejoin = new PreJoin((error, what) => ui.showError(describeMediaError(error, what)));
  #videos = new VideoGrid(() => {
    ui.byId("enable-sound").hidden = false;
  });
  #lobby;
  #controls;
  #chatPanel = new ChatPanel((text) => (this.#call ? this.#call.sendChat(text) : Promise.reject(new NotConnectedError())));
  #files;
  #filesPanel;

  /**
   * @param {import("./signaling.js").SignalingClient} signaling
   * @param {ReturnType<import("./page-config.js").readPageConfig>} config
   */
  constructor(signaling, config) {
    this.#signaling = signaling;
    this.#config = config;
    this.#lobby = new Lobby({ signaling, videos: this.#videos, describeError: (reply) => this.describeError(reply) });
    signaling.addEventListener("server-error", (event) => ui.showError(this.describeError(event.detail)));
    this.#controls = new CallControls({ videos: this.#videos, prejoin: this.#prejoin, nickname: () => signaling.nickname });
    // Files go peer to peer over each PeerLink's file channel; the server never sees them.
    this.#files = new FileTransfers({ maxBytes: config.maxFileBytes });
    this.#filesPanel = new FilesPanel(this.#files, {
      nicknameOf: (id) => this.#call?.members.get(id)?.nickname ?? id,
      onError: (message) => ui.showError(message),
    });
    this.#bindPage();
  }

  /** The call in progress (also while its join is being asked), or null. */
  get call() {
    return this.#call;
  }

  /** The camera and microphone from the pre-join screen on, or null. */
  get localMedia() {
    return this.#localMedia;
  }

  get lobby() {
    return this.#lobby;
  }

  get files() {
    return this.#files;
  }

  /** A human explanation of an `error` message; `room` is the room a join was for, when there was one. */
  describeError(reply, room = null) {
    return describeServerError(reply, { room, passwordTyped: !!this.#passwordInput.value, maxMembers: this.#signaling.limits.maxMembersPerRoom });
  }

  #bindPage() {
    ui.byId("join-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.#joinRoom(ui.byId("nickname").value.trim(), ui.byId("room").value.trim(), this.#passwordInput.value, ui.byId("room-private").checked);
    });
    ui.byId("prejoin-join").addEventListener("click", () => {
      if (this.#pendingJoin && !this.#call) this.#enterRoom();
    });
    ui.byId("prejoin-back").addEventListener("click", () => {
      if (this.#call) return;
      this.#abandonJoin();
      this.#joinButton.focus();
    });
    ui.byId("enable-sound").addEventListener("click", (event) => {
      this.#videos.unmuteAll();
      event.currentTarget.hidden = true;
    });
    ui.byId("lock-toggle").addEventListener("click", () => {
      if (!this.#call?.isHost) return;
      this.#call.setLocked(!this.#call.policy?.locked).catch(() => {}); // the change shows when room-updated arrives
    });
    ui.byId("leave").addEventListener("click", () => this.#leaveCall());
    ui.byId("error-dismiss").addEventListener("click", () => ui.clearError());
    ui.byId("error-action").addEventListener("click", () => ui.runBannerAction());
  }

  // Join is two steps: the welcome form checks what can be known without devices (valid names, a room the list shows
  // as full), then opens camera and microphone for the pre-join screen; "Join now" there asks the server.
  async #joinRoom(nickname, roomName, password, privateRoom) {
    if (this.#call || this.#pendingJoin) return;
    const signaling = this.#signaling;
    const problem = nicknameProblem(nickname, signaling.limits) ?? roomNameProblem(roomName, signaling.limits) ?? passwordProblem(password);
    if (problem) {
      ui.showError(problem);
      return;
    }
    const max = signaling.limits.maxMembersPerRoom;
    const listed = this.#lobby.listed(roomName);
    if ((listed?.count ?? 0) >= max) {
      ui.showError(describeFullRoom(roomName, max, listed.count), "room-full");
      return;
    }
    if (listed?.locked && !this.#config.joinToken) { // an invitation may make us host, and a host passes the lock: let the server say
      ui.showError(describeLockedRoom(roomName), "room-locked");
      return;
    }
    ui.clearError();
    this.#joinButton.disabled = true;
    try {
      if (nickname !== signaling.nickname) {
        await signaling.request(setNickname(nickname));
        signaling.nickname = nickname; // also what a reconnect's hello will use
      }
      storeNickname(nickname);
      this.#localMedia = new LocalMedia();
      const mediaProblems = await this.#localMedia.start();
      if (mediaProblems.length) ui.showError(mediaProblems.join("\n"));
      // every join goes through the pre-join screen after the user's click (a link only prefills)
      this.#pendingJoin = { roomName, password, privateRoom };
      ui.showScreen("prejoin");
      await this.#prejoin.show(this.#localMedia, roomName);
      ui.byId("prejoin-join").focus();
    } catch (error) {
      this.#abandonJoin();
      ui.showError(`Could not join: ${error.message}`);
    } finally {
      this.#joinButton.disabled = !signaling.connected;
    }
  }

  async #enterRoom() {
    const { roomName, password, privateRoom } = this.#pendingJoin;
    this.#prejoin.hide();
    ui.byId("prejoin-join").disabled = true;
    try {
      const options = { iceTransportPolicy: this.#config.iceTransportPolicy, dataChannels: [FILE_CHANNEL], password, privateRoom };
      const call = new Call(this.#signaling, this.#localMedia, roomName, options);
      this.#call = call;
      this.#view = this.#viewFor(call, this.#localMedia);
      await call.join();
      this.#pendingJoin = null;
      this.#view.enter();
      this.#controls.attach(call, this.#localMedia);
    } catch (error) {
      this.#abandonJoin();
      if (error instanceof ServerError) this.#showJoinRefusal(error, roomName);
      else ui.showError(`Could not join: ${error.message}`);
    } finally {
      ui.byId("prejoin-join").disabled = false;
    }
  }

  #viewFor(call, media) {
    return new CallView(call, media, {
      isCurrent: () => this.#call === call,
      selfNickname: () => this.#signaling.nickname,
      kicks: this.#kicks,
      controls: this.#controls,
      videos: this.#videos,
      files: this.#files,
      filesPanel: this.#filesPanel,
      chatPanel: this.#chatPanel,
      describeError: (reply) => this.describeError(reply, call.room),
      onEnded: () => this.#endCall(call),
    });
  }

  /** Back to the welcome screen with the devices closed: the user went back, or the server said no. */
  #abandonJoin() {
    this.#call = null;
    this.#view = null;
    this.#pendingJoin = null;
    this.#prejoin.hide();
    this.#localMedia?.stopAll();
    this.#localMedia = null;
    this.#videos.clear();
    ui.showScreen("welcome");
  }

  #showJoinRefusal(error, roomName) {
    ui.showError(this.describeError(error.reply, roomName));
    if (error.code === ErrorCode.BAD_PASSWORD) {
      this.#passwordInput.focus();
      this.#passwordInput.select();
    }
  }

  async #leaveCall() {
    if (!this.#call) return;
    const leaving = this.#call;
    await leaving.leave();
    this.#endCall(leaving);
  }

  /** Back to the welcome screen once `ended` is over (left, or removed by the host). */
  #endCall(ended) {
    if (this.#call !== ended) return;
    this.#call = null;
    this.#view = null;
    this.#controls.detach();
    this.#kicks.cancel();
    this.#localMedia?.stopAll();
    this.#localMedia = null;
    this.#videos.clear();
    this.#chatPanel.clear();
    this.#files.detachAll();
    this.#filesPanel.clear();
    ui.byId("enable-sound").hidden = true;
    ui.showScreen("welcome");
  }
}
