// The "Files" panel: pick a file and a recipient, and one row per transfer with a progress bar and its buttons.
// File names come from other people: they are only ever written with textContent (and the saved name is sanitised).

import { TransferState, formatBytes } from "./files.js";
import { byId } from "./ui.js";

const STATE_TEXT = Object.freeze({
  [TransferState.OFFERED]: { send: "waiting for an answer", receive: "offered to you" },
  [TransferState.SENDING]: { send: "sending" },
  [TransferState.SENT]: { send: "sent, being verified" },
  [TransferState.RECEIVING]: { receive: "receiving" },
  [TransferState.VERIFYING]: { receive: "checking SHA-256" },
  [TransferState.DONE]: { send: "delivered and verified", receive: "received and verified" },
  [TransferState.DECLINED]: { send: "declined", receive: "declined" },
  [TransferState.CANCELLED]: { send: "cancelled", receive: "cancelled" },
  [TransferState.FAILED]: { send: "failed", receive: "failed" },
});

export class FilesPanel {
  #files;
  #nicknameOf;
  #onError;
  #form = byId("file-form");
  #input = byId("file-input");
  #recipient = byId("file-recipient");
  #list = byId("file-transfers");
  #rows = new Map(); // transfer key → row element
  #urls = new Map(); // transfer key → blob: URL of a received file

  /**
   * @param {import("./files.js").FileTransfers} files
   * @param {{nicknameOf: (id: string) => string, onError: (message: string) => void}} options
   */
  constructor(files, { nicknameOf, onError }) {
    this.#files = files;
    this.#nicknameOf = nicknameOf;
    this.#onError = onError;
    files.addEventListener("change", ({ detail }) => this.#render(detail));
    this.#form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#offerPickedFile();
    });
  }

  async #offerPickedFile() {
    const file = this.#input.files?.[0];
    if (!file) return;
    try {
      await this.#files.offer(file, this.#recipient.value || null);
      this.#input.value = "";
    } catch (error) {
      this.#onError(`Could not offer the file: ${error.message}`);
    }
  }

  /** @param {{id: string, nickname: string}[]} members the others in the call */
  setMembers(members) {
    const chosen = this.#recipient.value;
    const everyone = option("", "Everyone");
    const options = members.map((member) => option(member.id, member.nickname));
    this.#recipient.replaceChildren(everyone, ...options);
    this.#recipient.value = members.some((member) => member.id === chosen) ? chosen : "";
  }

  #render(transfer) {
    let row = this.#rows.get(transfer.key);
    if (!row) {
      row = this.#createRow(transfer);
      this.#rows.set(transfer.key, row);
      this.#list.prepend(row);
    }
    row.dataset.state = transfer.state;
    const progress = row.querySelector("progress");
    progress.max = Math.max(transfer.size, 1);
    progress.value = transfer.size ? transfer.bytes : transfer.final ? 1 : 0;
    const status = STATE_TEXT[transfer.state]?.[transfer.direction] ?? transfer.state;
    const reason = transfer.reason && transfer.reason !== transfer.state ? ` (${transfer.reason})` : "";
    row.querySelector(".file-status").textContent = `${status}${reason} · ${formatBytes(transfer.bytes)} of ${formatBytes(transfer.size)}`;

    const offeredToMe = transfer.direction === "receive" && transfer.state === TransferState.OFFERED;
    row.querySelector(".file-accept").hidden = !offeredToMe;
    row.querySelector(".file-decline").hidden = !offeredToMe;
    row.querySelector(".file-cancel").hidden = transfer.final || offeredToMe;
    row.querySelector(".file-dismiss").hidden = !transfer.final;
    const save = row.querySelector(".file-save");
    save.hidden = !(transfer.direction === "receive" && transfer.state === TransferState.DONE);
    if (!save.hidden && !this.#urls.has(transfer.key)) this.#offerSave(save, transfer);
  }

  #createRow(transfer) {
    const row = element("li", "file-transfer");
    row.dataset.key = transfer.key;
    row.dataset.direction = transfer.direction;
    const who = this.#nicknameOf(transfer.peerId);
    const title = element("p", "file-title");
    title.append(
      element("span", "file-peer", transfer.direction === "send" ? `To ${who}: ` : `From ${who}: `),
      element("span", "file-name", transfer.safeName),
    );
    const progress = element("progress", "file-progress");
    progress.setAttribute("aria-label", `Progress of ${transfer.safeName}`);
    const actions = element("div", "file-actions");
    actions.append(
      this.#button("file-accept", "Accept", () => this.#files.accept(transfer.key)),
      this.#button("file-decline", "Decline", () => this.#files.decline(transfer.key)),
      this.#button("file-cancel", "Cancel", () => this.#files.cancel(transfer.key)),
      saveLink(),
      this.#button("file-dismiss", "Dismiss", () => this.#dismiss(transfer.key)),
    );
    row.append(title, progress, element("p", "file-status"), actions);
    return row;
  }

  #button(className, label, onClick) {
    const button = element("button", className, label);
    button.type = "button";
    button.addEventListener("click", onClick);
    return button;
  }

  // A blob: URL with <a download>: the browser saves the bytes under the sanitised name and never renders them.
  #offerSave(link, transfer) {
    const blob = this.#files.blobOf(transfer.key);
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    this.#urls.set(transfer.key, url);
    link.href = url;
    link.download = transfer.safeName;
  }

  #dismiss(key) {
    this.#files.forget(key);
    this.#rows.get(key)?.remove();
    this.#rows.delete(key);
    this.#revoke(key);
  }

  #revoke(key) {
    const url = this.#urls.get(key);
    if (url) URL.revokeObjectURL(url);
    this.#urls.delete(key);
  }

  /** Forgets every row (leaving a call). Unfinished transfers were already failed by FileTransfers.detachAll. */
  clear() {
    for (const key of [...this.#rows.keys()]) this.#dismiss(key);
    this.#recipient.replaceChildren(option("", "Everyone"));
    this.#input.value = "";
  }
}

function saveLink() {
  const link = element("a", "file-save button-link", "Save");
  link.hidden = true;
  return link;
}

function option(value, label) {
  const node = element("option", null, label);
  node.value = value;
  return node;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
