/**
 * Delivery facts: what actually landed in the bucket. For each log type, the
 * newest objects under its prefix (names and compression are undocumented:
 * gzip is detected by magic bytes), a parsed sample; for CloudTrail, the
 * newest log file under the documented AWSLogs/<account>/CloudTrail/ path.
 */
import type { Clients } from "../../aws/clients.js";
import { attemptAws as attempt } from "../../aws/describe-error.js";
import { listObjects, ObjectTooLarge, readObject, s3Uri, streamObject } from "../../aws/s3.js";
import { excludedFieldsPresent, missingFields, parseExport } from "../../cloudsmith-logs/parse.js";
import { logFolder } from "../../cloudtrail/layout.js";
import { NotATrailFile, RecordSplitter } from "../../cloudtrail/records.js";
import { bucketArn, exportTargets, keyPrefix, trailBucketName } from "../../config/derived.js";
import type { Config, LogType } from "../../config/schema.js";
import { type Fact, skip } from "../../engine/fact.js";
import { utcDayPath } from "../../util/dates.js";
import { resolveTrail } from "../trail-location.js";
import type { CloudTrailDelivery, DeliveryFacts, LogDelivery, ObjectInfo } from "./facts.js";

const MAX_LISTED = 50_000;
const SAMPLE_OBJECTS = 3;
const SAMPLE_LINES = 5_000;

async function listAll(
  c: Clients,
  Bucket: string,
  Prefix: string,
  skipPrefixes: string[] = [],
): Promise<{ objects: ObjectInfo[]; truncated: boolean }> {
  const { objects, truncated } = await listObjects(c, Bucket, Prefix, {
    max: MAX_LISTED,
    skip: (key) => skipPrefixes.some((p) => key.startsWith(p)),
  });
  return {
    objects: objects.map((o) => ({ key: o.key, lastModified: o.lastModified.toISOString(), size: o.size })),
    truncated,
  };
}

/** A sample reads at most this much of an object's (inflated) content: enough for SAMPLE_LINES lines. */
const SAMPLE_BYTES = 16 * 2 ** 20;
/**
 * A CloudTrail log file larger than this inflated is not one CloudTrail wrote. Records are read
 * one at a time as the file streams, so this bounds time, not memory.
 */
const TRAIL_FILE_BYTES = 256 * 2 ** 20;

/** The start of a listed object's content; one deleted since the listing is an error here, never "no data". */
async function readHead(c: Clients, Bucket: string, Key: string, limit: number, head: boolean) {
  const obj = await readObject(c, Bucket, Key, limit, { head });
  if (!obj) throw new Error(`${s3Uri(Bucket, Key)} was deleted while it was being read`);
  return obj;
}

const newestFirst = (a: ObjectInfo, b: ObjectInfo) =>
  b.lastModified.localeCompare(a.lastModified) || b.key.localeCompare(a.key);

async function collectLogType(c: Clients, cfg: Config, logType: LogType, prefix: string): Promise<LogDelivery> {
  const bucket = cfg.bucket.name;
  // At the bucket root, leave out the other log type's folder and CloudTrail's files.
  const others = [
    ...exportTargets(cfg)
      .filter((t) => t.logType !== logType && t.prefix !== "")
      .map((t) => keyPrefix(t.prefix)),
    ...(cfg.cloudtrail.mode === "create" && trailBucketName(cfg) === bucket
      ? [`${keyPrefix(cfg.cloudtrail.prefix)}AWSLogs/`]
      : []),
  ];
  const { objects, truncated } = await listAll(c, bucket, keyPrefix(prefix), prefix === "" ? others : []);
  const out: LogDelivery = { logType, prefix, objectCount: objects.length, truncated };
  if (objects.length === 0) return out;
  objects.sort(newestFirst);
  const sample = {
    objects: 0,
    records: 0,
    errors: [] as Array<{ key: string; line: number; message: string }>,
    missingFields: new Set<string>(),
    excludedSeen: new Set<string>(),
  };
  for (const obj of objects.slice(0, SAMPLE_OBJECTS)) {
    const head = await readHead(c, bucket, obj.key, SAMPLE_BYTES, true);
    if (obj === objects[0]) out.newest = { ...obj, gzip: head.gzip };
    // At most SAMPLE_LINES + 1 lines are kept, however many the head holds.
    const lines = head.body.toString("utf8").split(/\r?\n/, SAMPLE_LINES + 2);
    if (head.truncated || lines.length > SAMPLE_LINES + 1) lines.pop(); // the last may be cut off mid-way
    const text = lines.join("\n");
    const parsed = parseExport(text, cfg.format);
    sample.objects++;
    sample.records += parsed.records.length;
    sample.errors.push(...parsed.errors.map((e) => ({ key: obj.key, ...e })));
    for (const r of parsed.records) {
      for (const f of missingFields(r, logType)) sample.missingFields.add(f);
      for (const f of excludedFieldsPresent(r, cfg.exclude)) sample.excludedSeen.add(f);
    }
  }
  out.sample = { ...sample, missingFields: [...sample.missingFields], excludedSeen: [...sample.excludedSeen] };
  return out;
}

interface TrailRecord {
  eventSource?: string;
  eventName?: string;
  readOnly?: boolean;
  resources?: Array<{ ARN?: string }>;
  requestParameters?: { bucketName?: string; key?: string };
}

/**
 * The records of one CloudTrail log file, streamed: only the fields the delivery rules count are
 * kept. A file that is not one CloudTrail wrote (too large, cut short, not JSON) is an error
 * naming it, never a file of no records.
 */
async function readTrailRecords(c: Clients, bucket: string, key: string): Promise<TrailRecord[]> {
  const kept: TrailRecord[] = [];
  const splitter = new RecordSplitter((value) => {
    const r = (value ?? {}) as TrailRecord & Record<string, unknown>;
    kept.push({
      eventSource: typeof r.eventSource === "string" ? r.eventSource : undefined,
      eventName: typeof r.eventName === "string" ? r.eventName : undefined,
      readOnly: r.readOnly === true,
      resources: Array.isArray(r.resources)
        ? r.resources.slice(0, 16).map((x) => ({ ARN: typeof x?.ARN === "string" ? x.ARN : undefined }))
        : undefined,
      requestParameters:
        r.requestParameters && typeof r.requestParameters === "object"
          ? {
              bucketName:
                typeof r.requestParameters.bucketName === "string" ? r.requestParameters.bucketName : undefined,
              key: typeof r.requestParameters.key === "string" ? r.requestParameters.key : undefined,
            }
          : undefined,
    });
    if (kept.length > MAX_TRAIL_RECORDS) throw new NotATrailFile(`more than ${MAX_TRAIL_RECORDS} records`);
  });
  try {
    const read = await streamObject(c, bucket, key, TRAIL_FILE_BYTES, (chunk) => splitter.push(chunk));
    if (!read) throw new Error(`${s3Uri(bucket, key)} was deleted while it was being read`);
    splitter.end();
  } catch (e) {
    if (e instanceof ObjectTooLarge)
      throw new Error(
        `${s3Uri(bucket, key)} is larger than ${TRAIL_FILE_BYTES / 2 ** 20} MiB uncompressed: not a log file CloudTrail wrote, not read further`,
      );
    if (e instanceof NotATrailFile) throw new Error(`${s3Uri(bucket, key)}: ${e.message}`);
    if ((e as { code?: string }).code?.startsWith("Z_"))
      throw new Error(`${s3Uri(bucket, key)}: not valid gzip (${(e as Error).message})`);
    throw e;
  }
  return kept;
}

/** Records kept from one file: CloudTrail writes a file every five minutes, of at most a few thousand. */
const MAX_TRAIL_RECORDS = 200_000;

async function collectCloudTrail(c: Clients, cfg: Config, now: Date): Promise<CloudTrailDelivery> {
  const trail = await resolveTrail(c, cfg);
  const bucket = trail.location.bucket;
  const base = logFolder(trail.location);
  let files: ObjectInfo[] = [];
  // The documented layout is .../YYYY/MM/DD/: look back day by day for the newest files.
  for (let back = 0; back < 8 && files.length === 0; back++) {
    files = (await listAll(c, bucket, base + utcDayPath(new Date(now.getTime() - back * 86_400_000)))).objects;
  }
  files.sort(newestFirst);
  const out: CloudTrailDelivery = {
    newest: files[0],
    location: s3Uri(bucket, base),
    ...(trail.startedLogging ? { startedLogging: trail.startedLogging.toISOString() } : {}),
    filesRead: 0,
    records: 0,
    bySource: {},
    codeArtifact: { readOnly: 0, write: 0 },
    exportWrites: 0,
  };
  const exportArns = exportTargets(cfg).map((t) => `${bucketArn(cfg)}/${keyPrefix(t.prefix)}`);
  for (const f of files.slice(0, SAMPLE_OBJECTS)) {
    const records = await readTrailRecords(c, bucket, f.key);
    out.filesRead++;
    for (const r of records) {
      out.records++;
      const source = r.eventSource ?? "unknown";
      out.bySource[source] = (out.bySource[source] ?? 0) + 1;
      if (source === "codeartifact.amazonaws.com") out.codeArtifact[r.readOnly ? "readOnly" : "write"]++;
      const objectArn =
        r.requestParameters?.bucketName && r.requestParameters.key
          ? `${bucketArn(cfg, r.requestParameters.bucketName)}/${r.requestParameters.key}`
          : undefined;
      const arns = [...(r.resources ?? []).map((x) => x.ARN ?? ""), ...(objectArn ? [objectArn] : [])];
      if (
        source === "s3.amazonaws.com" &&
        /^(PutObject|PutObjectAcl|CompleteMultipartUpload)$/.test(r.eventName ?? "") &&
        arns.some((a) => exportArns.some((p) => a.startsWith(p)))
      ) {
        out.exportWrites++;
      }
    }
  }
  return out;
}

export async function collectDelivery(
  c: Clients,
  cfg: Config,
  opts: { maxAgeHours: number; now?: Date },
): Promise<DeliveryFacts> {
  const now = opts.now ?? new Date();
  const [roleCreated, cloudTrail, ...logs] = await Promise.all([
    attempt(async () =>
      (
        (await c.iam.send(new c.iammod.GetRoleCommand({ RoleName: cfg.roleName }))).Role?.CreateDate ?? new Date(0)
      ).toISOString(),
    ),
    cfg.cloudtrail.mode !== "none"
      ? attempt(() => collectCloudTrail(c, cfg, now))
      : Promise.resolve(skip<CloudTrailDelivery>("cloudtrail.mode is none")),
    // Any failed read (even a missing bucket) is an error: "no objects" only ever comes from a listing that worked.
    ...exportTargets(cfg).map(async (t) => ({
      logType: t.logType,
      prefix: t.prefix,
      fact: await attempt(() => collectLogType(c, cfg, t.logType, t.prefix)),
    })),
  ]);
  return {
    now: now.toISOString(),
    maxAgeHours: opts.maxAgeHours,
    roleCreated: roleCreated as Fact<string>,
    cloudTrail: cloudTrail as Fact<CloudTrailDelivery>,
    logs: logs as DeliveryFacts["logs"],
  };
}
