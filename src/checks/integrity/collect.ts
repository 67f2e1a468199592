/**
 * CloudTrail log file validation in TypeScript (what `aws cloudtrail
 * validate-logs` does): walk the digest files under CloudTrail-Digest/,
 * check each digest's SHA256withRSA signature (S3 metadata `signature`)
 * with the public key chosen by fingerprint, follow the chain of previous
 * digests, and check every listed log file's SHA-256. Node's crypto and zlib
 * only. Facts: REQUIREMENTS.md section 3 (AWS CloudTrail User Guide).
 */
import { createPublicKey } from "node:crypto";
import type { Clients } from "../../aws/clients.js";
import { getObject as fetchObject, gunzipIfNeeded as gunzipIf, listObjects } from "../../aws/s3.js";
import { keyPrefix, trailBucketName } from "../../config/derived.js";
import type { Config } from "../../config/schema.js";
import { utcDayPath } from "../../util/dates.js";
import { type DigestFile, type PublicKeyInfo, type PublicKeySource, sha256, verifyDigestSignature } from "./digest.js";
import type { IntegrityReport } from "./facts.js";

export type { PublicKeySource };

/** Objects under a prefix with their times (the window's day folders). */
const list = async (c: Clients, Bucket: string, Prefix: string) => (await listObjects(c, Bucket, Prefix)).objects;

export function cloudTrailKeySource(c: Clients): PublicKeySource {
  return {
    async keys(StartTime, EndTime) {
      const out: PublicKeyInfo[] = [];
      for await (const page of c.ctmod.paginateListPublicKeys({ client: c.cloudtrail }, { StartTime, EndTime })) {
        for (const k of page.PublicKeyList ?? [])
          if (k.Fingerprint && k.Value) out.push({ fingerprint: k.Fingerprint, der: k.Value });
      }
      return out;
    },
  };
}

const days = (since: Date, until: Date): string[] => {
  const out: string[] = [];
  for (
    let t = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
    t <= until.getTime();
    t += 86_400_000
  )
    out.push(utcDayPath(new Date(t)));
  return out;
};

export async function validateLogs(
  c: Clients,
  cfg: Config,
  opts: { since: Date; until?: Date; keySource: PublicKeySource },
): Promise<IntegrityReport> {
  const until = opts.until ?? new Date();
  const bucket = trailBucketName(cfg);
  const base = `${keyPrefix(cfg.cloudtrail.prefix)}AWSLogs/${cfg.accountId}`;
  const window = days(opts.since, until);
  const report: IntegrityReport = {
    since: opts.since.toISOString(),
    until: until.toISOString(),
    digests: 0,
    signatures: { valid: 0, invalid: [] },
    chain: { gaps: [] },
    logFiles: { checked: 0, valid: 0, missing: [], modified: [], extra: [] },
  };

  const digestKeys = (
    await Promise.all(window.map((d) => list(c, bucket, `${base}/CloudTrail-Digest/${cfg.region}/${d}`)))
  )
    .flat()
    .filter((o) => o.lastModified >= opts.since && o.lastModified <= until);
  const keys = new Map(
    (await opts.keySource.keys(new Date(opts.since.getTime() - 86_400_000), until)).map((k) => [
      k.fingerprint,
      createPublicKey({ key: Buffer.from(k.der), format: "der", type: "pkcs1" }),
    ]),
  );

  const digests: Array<{ key: string; doc: DigestFile; raw: Buffer; signature: string }> = [];
  for (const { key } of digestKeys) {
    const obj = await fetchObject(c, bucket, key);
    if (!obj) continue; // deleted between listing and reading: the chain check reports it
    const raw = gunzipIf(obj.body);
    const doc = JSON.parse(raw.toString("utf8")) as DigestFile;
    const signature = obj.metadata.signature ?? "";
    const publicKey = keys.get(doc.digestPublicKeyFingerprint);
    if (!publicKey)
      report.signatures.invalid.push(`${key}: no public key with fingerprint ${doc.digestPublicKeyFingerprint}`);
    else if (doc.digestS3Object !== key || doc.digestS3Bucket !== bucket)
      report.signatures.invalid.push(
        `${key}: the digest names another location (${doc.digestS3Bucket}/${doc.digestS3Object})`,
      );
    else if (!verifyDigestSignature(doc, raw, signature, publicKey))
      report.signatures.invalid.push(`${key}: signature does not match`);
    else report.signatures.valid++;
    digests.push({ key, doc, raw, signature });
  }
  report.digests = digests.length;

  // The chain: each digest names the previous one, its hash and its signature.
  digests.sort((a, b) => a.doc.digestEndTime.localeCompare(b.doc.digestEndTime));
  const byKey = new Map(digests.map((d) => [d.key, d]));
  digests.forEach((d, i) => {
    const prevKey = d.doc.previousDigestS3Object;
    if (!prevKey) {
      if (i > 0)
        report.chain.gaps.push(`${d.key} starts a new chain (logging was stopped, or the previous digest is missing)`);
      return;
    }
    const prev = byKey.get(prevKey);
    if (!prev) {
      // The first digest in the window may point before it; any other missing link is a gap.
      if (i > 0) report.chain.gaps.push(`${prevKey} is missing (referenced by ${d.key})`);
      return;
    }
    if (d.doc.previousDigestHashValue !== sha256(prev.raw))
      report.chain.gaps.push(`${prevKey} was changed (its hash does not match ${d.key})`);
    if (d.doc.previousDigestSignature !== prev.signature)
      report.chain.gaps.push(`${prevKey}'s signature does not match the one recorded in ${d.key}`);
  });

  // Every listed log file must exist and hash to the recorded value.
  const listed = new Set<string>();
  for (const d of digests) {
    for (const lf of d.doc.logFiles ?? []) {
      listed.add(lf.s3Object);
      report.logFiles.checked++;
      const obj = await fetchObject(c, lf.s3Bucket, lf.s3Object);
      if (!obj) report.logFiles.missing.push(lf.s3Object);
      else if (sha256(gunzipIf(obj.body)) !== lf.hashValue) report.logFiles.modified.push(lf.s3Object);
      else report.logFiles.valid++;
    }
  }
  // Log files in the digests' time span that no digest lists were added by someone else.
  if (digests.length > 0) {
    const from = Date.parse(digests[0]!.doc.digestStartTime);
    const to = Date.parse(digests[digests.length - 1]!.doc.digestEndTime);
    const present = (
      await Promise.all(window.map((d) => list(c, bucket, `${base}/CloudTrail/${cfg.region}/${d}`)))
    ).flat();
    for (const o of present) {
      const t = o.lastModified.getTime();
      if (t >= from && t <= to && !listed.has(o.key)) report.logFiles.extra.push(o.key);
    }
  }
  return report;
}
