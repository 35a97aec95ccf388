// Single-key shortcuts for the call. They never fire while typing (chat, forms) or with a modifier held, so they
// cannot swallow a letter of a message or a browser shortcut. Each button names its key in its tooltip.

const TYPING_TARGETS = new Set(["INPUT", "TEXTAREA", "SELECT"]);

/** @param {Record<string, () => void>} keys lower-case key → action */
export function installShortcuts(keys, isActive) {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || !isActive()) return;
    const target = event.target;
    if (TYPING_TARGETS.has(target?.tagName) || target?.isContentEditable) return;
    const action = keys[event.key?.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    action();
  });
}
