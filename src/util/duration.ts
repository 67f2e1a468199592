/** `30m`, `24h`, `7d` -> milliseconds (for --since and --max-age). */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*(m|min|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`'${text}' is not a duration like 90m, 24h or 7d`);
  return Number(m[1]) * { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "m" | "min" | "h" | "d"];
}
