/** `YYYY/MM/DD/` in UTC: the date folders CloudTrail uses for log and digest files. */
export function utcDayPath(d: Date): string {
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}/`;
}
