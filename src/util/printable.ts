/**
 * Text from outside (server answers, config values, suppression reasons) made
 * safe for a terminal: C0/C1 controls and bidirectional overrides shown as
 * visible escapes (`\x1b`, `\u202e`), so nothing can move the cursor, recolour
 * or reorder a line; long values cut with their length.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string, max = 300): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
  return cut
    .replace(/[\n\t]/g, (c) => (c === "\n" ? "\\n" : "\\t"))
    .replace(UNSAFE, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
    });
}

/** Whether text holds a control or bidirectional-override character (tab and newline included). */
export const hasControl = (text: string): boolean =>
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(text);
