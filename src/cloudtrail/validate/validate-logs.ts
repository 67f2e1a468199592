/**
 * CloudTrail log file validation in TypeScript, on a par with `aws cloudtrail
 * validate-logs` (awscli/customizations/cloudtrail/validation.py): digests
 * chosen by the time in their key within [since, until + 1 h], public keys
 * from ListPublicKeys for [since, until + 2 h] (a backfill digest's key looked
 * up within an hour of its generation time), the hourly chain and the
 * backfill chain walked separately, then the log files of valid digests only,
 * from the trail's bucket only, streamed through gunzip and SHA-256 with an
 * output limit and bounded concurrency. Beyond the reference: log files no
 * digest lists, a truncated tail, and an empty window while validation is on.
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import type { Clients } from "../../aws/clients.js";
import { hashObject, listObjects, ObjectTooLarge, readObject, s3Uri } from "../../aws/s3.js";
import { mapBounded } from "../../util/map-bounded.js";
import {
  dayFolders,
  digestFolder,
  digestKeyPattern,
  digestKeyTime,
  isBackfill,
  logFolder,
  logKeyTime,
  type TrailLocation,
} from "../layout.js";
import { walkChain } from "./chain.js";
import { checkDigest, type DigestFile, type LoadedDigest, type PublicKeyInfo, type PublicKeySource } from "./digest.js";
import type { IntegrityReport } from "./report.js";

export type { PublicKeySource };

const HOUR = 3_600_000;
/**
 * A digest lists the log files of one hour of one account and region, about 250 bytes each:
 * 4 MiB inflated (over 15,000 files) is far beyond any real one, and eight held at once stay
 * within the run's memory budget.
 */
const DIGEST_LIMIT = 4 * 2 ** 20;
/** A CloudTrail log file: 1 GiB inflated is far beyond any real one. */
const LOG_LIMIT = 2 ** 30;
const CONCURRENCY = 8;
/** Digests fetched ahead of the chain walk. */
const PREFETCH = 8;

export function cloudTrailKeySource(c: Clients): PublicKeySource {
  return {
    async keys(StartTime, EndTime) {
      const out: PublicKeyInfo[] = [];
      let pages = 0;
      for await (const page of c.ctmod.paginateListPublicKeys({ client: c.cloudtrail }, { StartTime, EndTime })) {
        for (const k of page.PublicKeyList ?? [])
          if (k.Fingerprint && k.Value) out.push({ fingerprint: k.Fingerprint, der: k.Value });
        if (++pages >= 100) break;
      }
      return out;
    },
  };
}

export interface ValidateOptions {
  since: Date;
  until?: Date;
  keySource: PublicKeySource;
  /** When CloudTrail last delivered a digest (GetTrailStatus): the chain must reach it. */
  latestDigestDelivery?: Date;
  /** Log file validation on the trail; undefined when not known. */
  validationOn?: boolean;
  /** Keep the keys of the log files that matched their digests (investigate ties rows to them). */
  keepVerifiedKeys?: boolean;
}

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export async function validateLogs(c: Clients, loc: TrailLocation, opts: ValidateOptions): Promise<IntegrityReport> {
  const since = opts.since;
  const until = opts.until ?? new Date();
  const report: IntegrityReport = {
    since: since.toISOString(),
    until: until.toISOString(),
    location: s3Uri(loc.bucket, digestFolder(loc)),
    digests: 0,
    backfillDigests: 0,
    signatures: { valid: 0, invalid: [] },
    unreadableDigests: [],
    chain: { gaps: [], breaks: [] },
    ...(opts.validationOn === false ? { validationOff: true } : {}),
    logFiles: {
      checked: 0,
      valid: 0,
      missing: [],
      modified: [],
      unreadable: [],
      tooLarge: [],
      outside: [],
      extra: [],
    },
  };

  // Digest keys by the time in their name, within [since, until + 1 h].
  const pattern = digestKeyPattern(loc);
  const to = new Date(until.getTime() + HOUR);
  const listed = (
    await mapBounded(dayFolders(since, to), CONCURRENCY, (day) =>
      listObjects(c, loc.bucket, `${digestFolder(loc)}${day}`, { max: 10_000 }),
    )
  ).flatMap((l) => l.objects.map((o) => o.key));
  const inWindow = listed
    .filter((k) => pattern.test(k))
    .filter((k) => {
      const t = digestKeyTime(k).getTime();
      return t >= since.getTime() && t <= to.getTime();
    })
    .sort((a, b) => digestKeyTime(a).getTime() - digestKeyTime(b).getTime() || a.localeCompare(b));
  const standard = inWindow.filter((k) => !isBackfill(k));
  const backfill = inWindow.filter(isBackfill);
  report.digests = standard.length;
  report.backfillDigests = backfill.length;

  // Public keys: the window's, and for backfill digests those around their generation time.
  const keys = new Map<string, KeyObject | null>();
  const addKeys = (list: PublicKeyInfo[]) => {
    for (const k of list) {
      if (keys.has(k.fingerprint)) continue;
      try {
        keys.set(k.fingerprint, createPublicKey({ key: Buffer.from(k.der), format: "der", type: "pkcs1" }));
      } catch {
        keys.set(k.fingerprint, null); // a key that does not load verifies nothing
      }
    }
  };
  if (standard.length > 0) addKeys(await opts.keySource.keys(since, new Date(until.getTime() + 2 * HOUR)));
  // One lookup per backfill hour, shared by digests fetched at the same time; at most 100.
  const looked = new Map<number, Promise<void>>();
  const keyFor = async (fingerprint: string, backfillTime?: Date) => {
    if (!keys.has(fingerprint) && backfillTime && !Number.isNaN(backfillTime.getTime())) {
      const t = backfillTime.getTime();
      const hour = Math.floor(t / HOUR);
      if (!looked.has(hour) && looked.size < 100)
        looked.set(hour, opts.keySource.keys(new Date(t - HOUR), new Date(t + HOUR)).then(addKeys));
      await looked.get(hour);
    }
    return keys.get(fingerprint) ?? undefined;
  };
  const fetchDigest =
    (backfill: boolean) =>
    async (key: string): Promise<LoadedDigest> => {
      let fetched: Awaited<ReturnType<typeof readObject>>;
      try {
        fetched = await readObject(c, loc.bucket, key, DIGEST_LIMIT);
      } catch (e) {
        if (e instanceof ObjectTooLarge)
          return {
            kind: "unreadable" as const,
            reason: `larger than ${DIGEST_LIMIT / 2 ** 20} MiB uncompressed, not read`,
          };
        // Not gzip: what the reference calls an invalid format.
        if ((e as { code?: string }).code?.startsWith("Z_"))
          return { kind: "invalid" as const, reason: "invalid format" };
        throw e;
      }
      if (!fetched) return { kind: "missing" as const };
      return checkDigest(fetched, { bucket: loc.bucket, key, backfill }, keyFor);
    };

  const valid: Array<{ key: string; doc: DigestFile }> = [];
  for (const [chainKeys, isBackfillChain] of [
    [standard, false],
    [backfill, true],
  ] as const) {
    const r = await walkChain(chainKeys, since, loc.bucket, prefetching(chainKeys, fetchDigest(isBackfillChain)));
    const tag = isBackfillChain ? "(backfill) " : "";
    report.signatures.valid += r.valid.length;
    report.signatures.invalid.push(...r.invalid.filter((m) => !m.endsWith(": not found")).map((m) => tag + m));
    report.unreadableDigests.push(...r.unreadable.map((m) => tag + m));
    report.chain.gaps.push(...r.gaps.map((m) => tag + m));
    report.chain.breaks.push(...r.breaks.map((m) => tag + m));
    valid.push(...r.valid);
  }

  await checkLogFiles(c, loc, valid, report, opts.keepVerifiedKeys === true);
  if (valid.length > 0) await findExtraLogFiles(c, loc, valid, report);
  checkTail(standard, opts, until, report);
  return report;
}

/**
 * The chain walk asks for one digest at a time, newest first, and almost always the next older
 * key in the listing: fetch up to PREFETCH of those ahead, so S3's latency overlaps. Only keys of
 * this trail's own digest listing are fetched ahead; at most PREFETCH are held.
 */
function prefetching(
  keys: readonly string[],
  fetch: (key: string) => Promise<LoadedDigest>,
): (key: string) => Promise<LoadedDigest> {
  const position = new Map(keys.map((k, i) => [k, i]));
  const ahead = new Map<string, Promise<LoadedDigest>>();
  return (key) => {
    const p = ahead.get(key) ?? fetch(key);
    ahead.delete(key);
    const i = position.get(key);
    if (i !== undefined) {
      for (const k of ahead.keys()) if ((position.get(k) ?? -1) > i) ahead.delete(k); // skipped by a jump
      for (let j = i - 1; j >= 0 && j >= i - PREFETCH; j--) {
        const k = keys[j]!;
        if (!ahead.has(k)) {
          const f = fetch(k);
          f.catch(() => undefined); // reported when (if) the walk asks for it
          ahead.set(k, f);
        }
      }
    }
    return p;
  };
}

/** The log files valid digests list: each read from the trail's bucket, streamed and hashed. */
async function checkLogFiles(
  c: Clients,
  loc: TrailLocation,
  valid: Array<{ doc: DigestFile }>,
  report: IntegrityReport,
  keep = false,
): Promise<void> {
  const entries = valid.flatMap((d) => (Array.isArray(d.doc.logFiles) ? d.doc.logFiles : []));
  report.logFiles.checked = entries.length;
  await mapBounded(entries, CONCURRENCY, async (lf) => {
    if (lf.s3Bucket !== loc.bucket) {
      report.logFiles.outside.push(s3Uri(String(lf.s3Bucket), String(lf.s3Object)));
      return;
    }
    try {
      const hash = await hashObject(c, loc.bucket, lf.s3Object, LOG_LIMIT);
      if (hash === undefined) report.logFiles.missing.push(lf.s3Object);
      else if (hash !== lf.hashValue) report.logFiles.modified.push(lf.s3Object);
      else {
        report.logFiles.valid++;
        if (keep) {
          report.logFiles.verifiedKeys ??= [];
          report.logFiles.verifiedKeys.push(lf.s3Object);
        }
      }
    } catch (e) {
      if (e instanceof ObjectTooLarge) report.logFiles.tooLarge.push(lf.s3Object);
      else if ((e as { code?: string }).code?.startsWith("Z_"))
        report.logFiles.unreadable.push(`${lf.s3Object} (not valid gzip)`);
      else throw e;
    }
  });
}

/** Log files named for a time the valid digests cover that none of them lists: someone else put them there. */
async function findExtraLogFiles(
  c: Clients,
  loc: TrailLocation,
  valid: Array<{ doc: DigestFile }>,
  report: IntegrityReport,
): Promise<void> {
  const starts = valid.map((d) => Date.parse(d.doc.digestStartTime)).filter(Number.isFinite);
  const ends = valid.map((d) => Date.parse(d.doc.digestEndTime)).filter(Number.isFinite);
  if (starts.length === 0 || ends.length === 0) return;
  // Five minutes inside the span: a file at the edge may be listed by a digest outside the window.
  const from = Math.min(...starts) + 5 * 60_000;
  const to = Math.max(...ends) - 5 * 60_000;
  const listedKeys = new Set(
    valid.flatMap((d) => (Array.isArray(d.doc.logFiles) ? d.doc.logFiles : []).map((l) => l.s3Object)),
  );
  const present = (
    await mapBounded(dayFolders(new Date(from), new Date(to)), CONCURRENCY, (day) =>
      listObjects(c, loc.bucket, `${logFolder(loc)}${day}`, { max: 50_000 }),
    )
  ).flatMap((l) => l.objects);
  for (const o of present) {
    const t = logKeyTime(o.key).getTime();
    if (t >= from && t <= to && !listedKeys.has(o.key)) report.logFiles.extra.push(o.key);
  }
}

/** The newest digest must reach CloudTrail's latest digest delivery (or, without it, the last two hours). */
function checkTail(standard: readonly string[], opts: ValidateOptions, until: Date, report: IntegrityReport): void {
  if (opts.validationOn === false) return;
  const newest = standard.length > 0 ? digestKeyTime(standard[standard.length - 1]!) : undefined;
  if (newest) report.newestDigest = iso(newest);
  const delivered = opts.latestDigestDelivery;
  // What the window should reach: CloudTrail's own latest delivery, else (a window ending now) two hours ago.
  const expected =
    delivered && delivered.getTime() <= until.getTime() + HOUR
      ? { at: delivered.getTime() - 30 * 60_000, why: `CloudTrail last delivered a digest at ${iso(delivered)}` }
      : Date.now() - until.getTime() < HOUR
        ? { at: until.getTime() - 2 * HOUR, why: "CloudTrail delivers a digest every hour" }
        : undefined;
  if (!expected || expected.at < new Date(report.since).getTime()) return;
  if (!newest)
    report.tail = `no digest file between ${iso(new Date(report.since))} and ${iso(until)} although log file validation is on (${expected.why}): digests were deleted, or delivery is failing`;
  else if (newest.getTime() < expected.at)
    report.tail = `the newest digest is from ${iso(newest)}, but ${expected.why}: the digests after it were deleted, or delivery is failing`;
}
