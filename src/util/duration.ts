import { EXIT, ExitError } from "./errors.js";
import { printable } from "./printable.js";

const UNITS = { s: 1_000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `45s`, `30m`, `24h`, `7d` -> milliseconds (for --since, --max-age and --deadline). */
export function parseDuration(text: string): number {
  const m = /^(\d{1,9})\s*(s|m|min|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`'${printable(text, 40)}' is not a duration like 45s, 90m, 24h or 7d`);
  return Number(m[1]) * UNITS[m[2] as keyof typeof UNITS];
}

/** A duration flag's value, or a usage error naming the flag. */
export function durationFlag(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (e) {
    throw new ExitError(EXIT.usage, `${flag}: ${(e as Error).message}`);
  }
}
