/**
 * Text from outside (server answers, config values, suppression reasons) made
 * safe for a terminal: C0/C1 controls and bidirectional overrides shown as
 * visible escapes (`\x1b`, `\u202e`), so nothing can move the cursor, recolour
 * or reorder a line; long values cut with their length.
 */
import { redactSecrets } from "./secrets.js";

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string, max = 300): string {
  const clean = redactSecrets(text);
  const cut = clean.length > max ? `${clean.slice(0, max)}… (${clean.length} characters)` : clean;
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

/**
 * A message of several lines for the terminal: every line escaped as printable() does (and
 * secrets redacted), the line breaks kept.
 */
export const printableLines = (text: string, max = 2000): string =>
  text
    .split("\n")
    .map((line) => printable(line, max))
    .join("\n");
