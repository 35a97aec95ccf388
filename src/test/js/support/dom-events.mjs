// Node 18 has Event and EventTarget but no global CustomEvent (Node 19+ has it); the client's modules dispatch them.
globalThis.CustomEvent ??= class CustomEvent extends Event {
  constructor(type, init = {}) {
    super(type, init);
    this.detail = init.detail ?? null;
  }
};
