/**
 * Secrets the tool holds for a run (the Cloudsmith API key, credentials in a
 * URL), kept so one pass can replace them wherever they appear in text that
 * is printed or written to a report: a server that echoes the request's
 * headers back in an error page must not put the key on a terminal or into
 * a CI artifact, whatever its position in the text.
 */
const held = new Set<string>();
let ordered: string[] = [];

export const REDACTED = "[redacted]";

/** Registers a secret (and the forms a server may echo it in: URL- and JSON-escaped). */
export function holdSecret(value: string | undefined): void {
  // Shorter values would redact ordinary words; no real key or password is this short.
  if (value === undefined || value.length < 6) return;
  for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) held.add(form);
  ordered = [...held].sort((a, b) => b.length - a.length);
}

/** The text with every held secret replaced. */
export function redactSecrets(text: string): string {
  if (ordered.length === 0) return text;
  let out = text;
  for (const s of ordered) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** Forgets every secret (tests, and a long-lived process between runs). */
export function forgetSecrets(): void {
  held.clear();
  ordered = [];
}
