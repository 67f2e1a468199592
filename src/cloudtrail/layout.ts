/**
 * Where CloudTrail writes a trail's files (CloudTrail User Guide, "Finding
 * your CloudTrail log files" and "CloudTrail digest file structure"):
 *   [prefix/]AWSLogs/[o-org/]<account>/CloudTrail[-Digest]/<region>/YYYY/MM/DD/
 * Digest names end in `_<home region>_YYYYMMDDTHHmmssZ.json.gz`, backfill
 * digests in `..._backfill.json.gz`; log files carry `_YYYYMMDDTHHmmZ_`. The
 * time in the key, not S3's LastModified, places a file in a window.
 */

import { utcDayPath } from "../util/dates.js";

export interface TrailLocation {
  bucket: string;
  /** The trail's S3 key prefix, without a trailing slash; "" for none. */
  prefix: string;
  /** The account whose files are validated (a member account for an organization trail). */
  accountId: string;
  /** Set for an organization trail: its files sit under AWSLogs/<org-id>/<account>/. */
  organizationId?: string;
  trailName: string;
  homeRegion: string;
  /** The region whose files are validated (the home region by default). */
  region: string;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");

/** `[prefix/]AWSLogs/[org/]account` */
export function accountRoot(l: TrailLocation): string {
  const root = `AWSLogs/${l.organizationId ? `${l.organizationId}/` : ""}${l.accountId}`;
  return l.prefix ? `${l.prefix}/${root}` : root;
}

export const digestFolder = (l: TrailLocation): string => `${accountRoot(l)}/CloudTrail-Digest/${l.region}/`;
export const logFolder = (l: TrailLocation): string => `${accountRoot(l)}/CloudTrail/${l.region}/`;

/** This trail's digest keys (standard and backfill), and nothing else under the folder. */
export function digestKeyPattern(l: TrailLocation): RegExp {
  return new RegExp(
    `^${escapeRe(digestFolder(l))}\\d{4}/\\d{2}/\\d{2}/${escapeRe(l.accountId)}_CloudTrail-Digest_${escapeRe(l.region)}_${escapeRe(l.trailName)}_${escapeRe(l.homeRegion)}_\\d{8}T\\d{6}Z(?:_backfill)?\\.json\\.gz$`,
  );
}

export const isBackfill = (key: string): boolean => key.endsWith("_backfill.json.gz");

/** The `YYYYMMDDTHHmmssZ` time in a digest key, as a Date (NaN when the key has none). */
export function digestKeyTime(key: string): Date {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:_backfill)?\.json\.gz$/.exec(key);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : new Date(Number.NaN);
}

/** The `YYYYMMDDTHHmmZ` time in a log file key, as a Date (NaN when the key has none). */
export function logKeyTime(key: string): Date {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*\.json\.gz$/.exec(key);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!)) : new Date(Number.NaN);
}

/** `YYYY/MM/DD/` folders from the day of `since` to the day of `until`, at most `max` days. */
export function dayFolders(since: Date, until: Date, max = 400): string[] {
  const out: string[] = [];
  const start = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = start; t <= until.getTime() && out.length < max; t += 86_400_000) out.push(utcDayPath(new Date(t)));
  return out;
}
