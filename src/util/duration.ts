import { EXIT, ExitError } from "./errors.js";
import { printable } from "./printable.js";

const UNITS = { s: 1_000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `45s`, `30m`, `24h`, `7d` -> milliseconds (for --since, --max-age and --deadline). */
export function parseDuration(text: string): number {
  const m = /^(\d{1,9})\s*(s|m|min|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`'${printable(text, 40)}' is not a duration like 45s, 90m, 24h or 7d`);
  return Number(m[1]) * UNITS[m[2] as keyof typeof UNITS];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A `--since` value, the same in every command: a duration back from now (`24h`, `30d`) or an
 * RFC 3339 time with its zone (`2026-01-31T00:00:00Z`), never in the future. A usage error names
 * the flag otherwise.
 */
export function sinceFlag(flag: string, text: string, now = new Date()): Date {
  const trimmed = text.trim();
  if (/^\d/.test(trimmed) && !trimmed.includes("-")) return new Date(now.getTime() - durationFlag(flag, trimmed));
  const at = RFC3339.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(at))
    throw new ExitError(
      EXIT.usage,
      `${flag}: '${printable(text, 40)}' is neither a duration like 24h or 30d nor an RFC 3339 time like 2026-01-31T00:00:00Z`,
    );
  if (at > now.getTime()) throw new ExitError(EXIT.usage, `${flag}: ${printable(text, 40)} is in the future`);
  return new Date(at);
}

/** A duration flag's value, or a usage error naming the flag. */
export function durationFlag(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (e) {
    throw new ExitError(EXIT.usage, `${flag}: ${(e as Error).message}`);
  }
}
