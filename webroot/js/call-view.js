// What the page shows of one call: tiles, participants (with the host's Make host / Remove buttons), the room's
// policy, chat and files, kept in step with the Call's events. One instance per call; the App owns it.

import { ServerError } from "./signaling-errors.js";
import { FILE_CHANNEL } from "./files.js";
import { describeReturn } from "./messages.js";
import * as ui from "./ui.js";

export class CallView {
  #call;
  #media;
  #parts;

  /**
   * @param {import("./call.js").Call} call
   * @param {import("./media.js").LocalMedia} media
   * @param {{isCurrent: () => boolean, selfNickname: () => string, kicks: import("./kick-confirmation.js").KickConfirmation,
   *   controls: import("./call-controls.js").CallControls, videos: import("./tiles.js").VideoGrid, files: import("./files.js").FileTransfers,
   *   filesPanel: import("./files-ui.js").FilesPanel, chatPanel: import("./chat.js").ChatPanel,
   *   describeError: (reply: object) => string, onEnded: () => void}} parts onEnded: the host removed us
   */
  constructor(call, media, parts) {
    this.#call = call;
    this.#media = media;
    this.#parts = parts;
    this.#listen();
  }

  /** Shows the call screen once the join succeeded. */
  enter() {
    ui.byId("call-room-name").textContent = this.#call.room;
    ui.showScreen("call");
    this.#renderPolicy();
    this.renderParticipants();
  }

  renderParticipants() {
    const call = this.#call;
    const { isCurrent, selfNickname, kicks } = this.#parts;
    if (!isCurrent()) return;
    ui.renderParticipants({ id: call.memberId, nickname: selfNickname(), media: this.#media.state }, [...call.members.values()], {
      hostId: call.policy?.host ?? null,
      manage: call.isHost,
      confirmingKick: kicks.pendingId,
      onMakeHost: (id) => call.makeHost(id).catch(() => {}), // a refusal is shown via server-error
      onKick: (id) => this.#askToKick(id),
    });
  }

  // "Remove" needs a second click in time (KickConfirmation): a stray click removes nobody.
  #askToKick(memberId) {
    if (this.#parts.kicks.click(memberId)) this.#call.kick(memberId).catch(() => {}); // a refusal is shown via server-error
    this.renderParticipants();
  }

  #renderPolicy() {
    this.#parts.videos.setHost(this.#call.policy?.host ?? null, this.#call.memberId);
    ui.renderRoomPolicy(this.#call.policy, this.#call.isHost);
  }

  #refreshParticipants() {
    this.renderParticipants();
    this.#parts.filesPanel.setMembers([...this.#call.members.values()]);
  }

  #listen() {
    const call = this.#call;
    const { videos, files, chatPanel } = this.#parts;
    const onMember = ({ detail }) => {
      videos.upsertMember(detail);
      this.#refreshParticipants();
    };
    call.addEventListener("member-added", onMember);
    call.addEventListener("member-updated", onMember);
    call.addEventListener("peer-added", ({ detail: { id, peer } }) => files.attach(id, peer.channel(FILE_CHANNEL.label)));
    call.addEventListener("member-removed", ({ detail }) => {
      files.detach(detail);
      videos.removeMember(detail);
      this.#refreshParticipants();
    });
    call.addEventListener("remote-media", ({ detail: { id, stream } }) => videos.setStream(id, stream));
    call.addEventListener("peer-state", ({ detail: { id, state } }) => videos.setConnectionState(id, state));
    call.addEventListener("chat", ({ detail }) => chatPanel.append(detail, detail.from === call.memberId));
    call.addEventListener("rejoined", () => this.#refreshParticipants());
    call.addEventListener("resync", () => {
      chatPanel.appendNotice("Connection to the server's broker was interrupted; some messages may be missing.");
      this.#refreshParticipants();
    });
    call.addEventListener("policy", () => {
      if (!this.#parts.isCurrent()) return;
      this.#renderPolicy();
      this.#refreshParticipants();
    });
    call.addEventListener("kicked", ({ detail }) => {
      this.#parts.onEnded();
      const by = detail.byNickname ? ` (${detail.byNickname})` : "";
      ui.showError(`You were removed from ${detail.room} by the host${by}. ${describeReturn(detail.until)}`, "kicked");
    });
    call.addEventListener("error", ({ detail }) =>
      ui.showError(detail instanceof ServerError ? this.#parts.describeError(detail.reply) : `Call problem: ${detail?.message ?? detail}`),
    );
    this.#media.addEventListener("change", () => {
      this.#parts.controls.refresh();
      this.#refreshParticipants();
    });
  }
}
