/** What locking the trail's files cannot undo, in words: synth prints it, and init shows it before writing. */
import { retentionOf, trailBucketName } from "../config/derived.js";
import type { Config } from "../config/schema.js";

/** What Object Lock on the trail's files means, said before anything is applied (undefined without it). */
export function objectLockConsequences(cfg: Config): string[] | undefined {
  const r = retentionOf(cfg);
  if (!r?.objectLock) return undefined;
  const who =
    r.objectLock === "compliance"
      ? "nobody can delete or overwrite it, the root user included, and the period cannot be shortened"
      : "only principals allowed s3:BypassGovernanceRetention can delete it, and only by asking to bypass";
  return [
    `Object Lock (${r.objectLock} mode): the trail's files go to ${trailBucketName(cfg)}, a bucket created with Object Lock.`,
    `For ${r.days} days after each file is written, ${who}.`,
    "The bucket cannot be deleted while it holds locked files, and Object Lock can never be turned off on it.",
    "The export prefixes are never locked: Cloudsmith's uploads may not carry the checksum a locked bucket demands.",
  ];
}
