/**
 * CloudTrail log file validation in TypeScript (what `aws cloudtrail
 * validate-logs` does): walk the digest files under CloudTrail-Digest/,
 * check each digest's SHA256withRSA signature (S3 metadata `signature`)
 * with the public key chosen by fingerprint, follow the chain of previous
 * digests, and check every listed log file's SHA-256. Node's crypto and zlib
 * only. Facts: REQUIREMENTS.md section 3 (AWS CloudTrail User Guide).
 */
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import { gunzipSync } from "node:zlib";
import type { Config } from "../../config/schema.js";
import { keyPrefix, trailBucketName } from "../../config/derived.js";
import type { Clients } from "../../aws/clients.js";
import { utcDayPath } from "../../util/dates.js";

export interface PublicKeyInfo {
  fingerprint: string;
  /** DER-encoded PKCS#1 RSAPublicKey, as CloudTrail ListPublicKeys returns it. */
  der: Uint8Array;
}

/** Where public keys come from: CloudTrail ListPublicKeys, or a test's own key. */
export interface PublicKeySource {
  keys(start: Date, end: Date): Promise<PublicKeyInfo[]>;
}

export interface DigestFile {
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  logFiles: Array<{ s3Bucket: string; s3Object: string; hashValue: string; hashAlgorithm: string }>;
}

export interface IntegrityReport {
  since: string;
  until: string;
  digests: number;
  signatures: { valid: number; invalid: string[] };
  chain: { gaps: string[] };
  logFiles: { checked: number; valid: number; missing: string[]; modified: string[]; extra: string[] };
}

const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");
const gunzipIf = (b: Uint8Array): Buffer => (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : Buffer.from(b));

/** The string CloudTrail signs for a digest file. */
export function signingString(d: DigestFile, uncompressed: Uint8Array): string {
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${sha256(uncompressed)}\n${d.previousDigestSignature ?? "null"}`;
}

export function verifyDigestSignature(d: DigestFile, uncompressed: Uint8Array, signatureHex: string, key: KeyObject): boolean {
  if (!/^[0-9a-f]+$/i.test(signatureHex)) return false;
  return verify("RSA-SHA256", Buffer.from(signingString(d, uncompressed)), key, Buffer.from(signatureHex, "hex"));
}

export function cloudTrailKeySource(c: Clients): PublicKeySource {
  return {
    async keys(StartTime, EndTime) {
      const out: PublicKeyInfo[] = [];
      let NextToken: string | undefined;
      do {
        const res = await c.cloudtrail.send(new c.ctmod.ListPublicKeysCommand({ StartTime, EndTime, NextToken }));
        for (const k of res.PublicKeyList ?? []) if (k.Fingerprint && k.Value) out.push({ fingerprint: k.Fingerprint, der: k.Value });
        NextToken = res.NextToken;
      } while (NextToken);
      return out;
    },
  };
}

/** `30m`, `24h`, `7d` -> milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*(m|min|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`'${text}' is not a duration like 90m, 24h or 7d`);
  return Number(m[1]) * { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "m" | "min" | "h" | "d"];
}

const days = (since: Date, until: Date): string[] => {
  const out: string[] = [];
  for (let t = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()); t <= until.getTime(); t += 86_400_000) out.push(utcDayPath(new Date(t)));
  return out;
};

async function list(c: Clients, Bucket: string, Prefix: string): Promise<Array<{ key: string; lastModified: Date }>> {
  const out: Array<{ key: string; lastModified: Date }> = [];
  let ContinuationToken: string | undefined;
  do {
    const res = await c.s3.send(new c.s3mod.ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
    for (const o of res.Contents ?? []) if (o.Key) out.push({ key: o.Key, lastModified: o.LastModified ?? new Date(0) });
    ContinuationToken = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return out;
}

async function fetchObject(c: Clients, Bucket: string, Key: string): Promise<{ body: Uint8Array; metadata: Record<string, string> } | undefined> {
  try {
    const res = await c.s3.send(new c.s3mod.GetObjectCommand({ Bucket, Key }));
    return { body: await res.Body!.transformToByteArray(), metadata: res.Metadata ?? {} };
  } catch (e) {
    if ((e as { name?: string }).name === "NoSuchKey") return undefined;
    throw e;
  }
}

export async function validateLogs(c: Clients, cfg: Config, opts: { since: Date; until?: Date; keySource: PublicKeySource }): Promise<IntegrityReport> {
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

  const digestKeys = (await Promise.all(window.map((d) => list(c, bucket, `${base}/CloudTrail-Digest/${cfg.region}/${d}`))))
    .flat()
    .filter((o) => o.lastModified >= opts.since && o.lastModified <= until);
  const keys = new Map((await opts.keySource.keys(new Date(opts.since.getTime() - 86_400_000), until)).map((k) => [k.fingerprint, createPublicKey({ key: Buffer.from(k.der), format: "der", type: "pkcs1" })]));

  const digests: Array<{ key: string; doc: DigestFile; raw: Buffer; signature: string }> = [];
  for (const { key } of digestKeys) {
    const obj = await fetchObject(c, bucket, key);
    if (!obj) continue; // deleted between listing and reading: the chain check reports it
    const raw = gunzipIf(obj.body);
    const doc = JSON.parse(raw.toString("utf8")) as DigestFile;
    const signature = obj.metadata.signature ?? "";
    const publicKey = keys.get(doc.digestPublicKeyFingerprint);
    if (!publicKey) report.signatures.invalid.push(`${key}: no public key with fingerprint ${doc.digestPublicKeyFingerprint}`);
    else if (doc.digestS3Object !== key || doc.digestS3Bucket !== bucket) report.signatures.invalid.push(`${key}: the digest names another location (${doc.digestS3Bucket}/${doc.digestS3Object})`);
    else if (!verifyDigestSignature(doc, raw, signature, publicKey)) report.signatures.invalid.push(`${key}: signature does not match`);
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
      if (i > 0) report.chain.gaps.push(`${d.key} starts a new chain (logging was stopped, or the previous digest is missing)`);
      return;
    }
    const prev = byKey.get(prevKey);
    if (!prev) {
      // The first digest in the window may point before it; any other missing link is a gap.
      if (i > 0) report.chain.gaps.push(`${prevKey} is missing (referenced by ${d.key})`);
      return;
    }
    if (d.doc.previousDigestHashValue !== sha256(prev.raw)) report.chain.gaps.push(`${prevKey} was changed (its hash does not match ${d.key})`);
    if (d.doc.previousDigestSignature !== prev.signature) report.chain.gaps.push(`${prevKey}'s signature does not match the one recorded in ${d.key}`);
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
    const present = (await Promise.all(window.map((d) => list(c, bucket, `${base}/CloudTrail/${cfg.region}/${d}`)))).flat();
    for (const o of present) {
      const t = o.lastModified.getTime();
      if (t >= from && t <= to && !listed.has(o.key)) report.logFiles.extra.push(o.key);
    }
  }
  return report;
}
