/**
 * Walks one chain of digests from the newest back to the start of the window,
 * as `aws cloudtrail validate-logs` does (awscli/customizations/cloudtrail/
 * validation.py, DigestTraverser): follow previousDigestS3Object; a digest the
 * chain names but S3 does not have is missing; an invalid one is reported and
 * the walk goes on with the next older key; a digest with no previous one
 * starts a new chain (a break, not a failure). Beyond the reference, each link
 * is also checked against the hash and signature its successor recorded.
 * Bounded: every key is visited at most once.
 */

import { digestKeyTime } from "../layout.js";
import { type DigestFile, type LoadedDigest, sha256 } from "./digest.js";

export interface ChainResult {
  valid: Array<{ key: string; doc: DigestFile }>;
  invalid: string[];
  /** Digests not read within the tool's bounds: nothing through them is decided. */
  unreadable: string[];
  gaps: string[];
  breaks: string[];
}

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * @param keys this chain's digest keys in the window, oldest first
 * @param load fetches and checks one digest of the trail's bucket
 */
export async function walkChain(
  keys: readonly string[],
  since: Date,
  bucket: string,
  load: (key: string) => Promise<LoadedDigest>,
): Promise<ChainResult> {
  const out: ChainResult = { valid: [], invalid: [], unreadable: [], gaps: [], breaks: [] };
  const pending = [...keys];
  const visited = new Set<string>();
  /** The next older key in the listing than `before`, or the newest when none is given. */
  const nextOlder = (before?: string): string | undefined => {
    const limit = before ? digestKeyTime(before).getTime() : Number.POSITIVE_INFINITY;
    while (pending.length > 0) {
      const k = pending.pop()!;
      if (digestKeyTime(k).getTime() < limit && !visited.has(k)) return k;
    }
    return undefined;
  };
  let key = nextOlder();
  let lastStart = key ? digestKeyTime(key) : since;
  let expected: { by: string; hash: string | null; signature: string | null } | undefined;
  while (key !== undefined && lastStart.getTime() >= since.getTime() && !visited.has(key)) {
    visited.add(key);
    const d = await load(key);
    if (d.kind === "missing") {
      out.gaps.push(`${key} is missing${expected ? ` (the chain names it in ${expected.by})` : ""}`);
      out.invalid.push(`${key}: not found`);
      expected = undefined;
      key = nextOlder(key);
      continue;
    }
    if (d.kind === "invalid" || d.kind === "unreadable") {
      out[d.kind].push(`${key}: ${d.reason}`);
      expected = undefined;
      key = nextOlder(key);
      continue;
    }
    if (expected) {
      if (expected.hash !== null && expected.hash !== sha256(d.raw))
        out.gaps.push(`${key} was changed (its hash does not match the one ${expected.by} recorded)`);
      if (expected.signature !== null && expected.signature !== d.signature)
        out.gaps.push(`${key}'s signature is not the one ${expected.by} recorded`);
    }
    out.valid.push({ key, doc: d.doc });
    lastStart = new Date(d.doc.digestStartTime);
    if (Number.isNaN(lastStart.getTime())) lastStart = digestKeyTime(key);
    const prevKey = d.doc.previousDigestS3Object;
    const prevBucket = d.doc.previousDigestS3Bucket;
    if (!prevKey || !prevBucket) {
      expected = undefined;
      const older = nextOlder(key);
      if (older)
        out.breaks.push(
          `no digest between ${iso(digestKeyTime(older))} and ${iso(lastStart)}: CloudTrail started a new chain (logging or validation was off)`,
        );
      key = older;
      continue;
    }
    if (prevBucket !== bucket) {
      // The trail delivered elsewhere before: only the trail's bucket is read.
      out.breaks.push(`the chain continues in s3://${prevBucket}, the trail's earlier bucket: not followed`);
      expected = undefined;
      key = nextOlder(key);
      continue;
    }
    expected = { by: key, hash: d.doc.previousDigestHashValue, signature: d.doc.previousDigestSignature };
    key = prevKey;
  }
  return out;
}
