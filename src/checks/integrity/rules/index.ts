/** Integrity rules (`verify --integrity`), over the report of validateLogs. */
import { trailBucketName } from "../../../config/derived.js";
import type { Facts } from "../../config/facts.js";
import { fail, pass, read, skipped, Undecidable, type Rule } from "../../../engine/rule.js";
import type { IntegrityReport } from "../collect.js";
import { trailOff } from "../../config/rules/helpers.js";

function reportOf(facts: Facts): IntegrityReport {
  if (!facts.integrity) throw new Undecidable("SKIPPED", "integrity was not checked (run verify --integrity)");
  return read(facts.integrity, "the CloudTrail digest files")!;
}
const resourceOf = (facts: Facts) => `s3://${trailBucketName(facts.config)}/${facts.config.cloudtrail.prefix}`;
const list = (xs: string[]) => (xs.length > 3 ? `${xs.slice(0, 3).join(", ")} and ${xs.length - 3} more` : xs.join(", "));

export const integritySignatures: Rule = {
  id: "integrity.digest-signatures",
  title: "Every digest file carries a valid CloudTrail signature",
  severity: "critical",
  rationale: "The digest signature proves CloudTrail wrote the digest: a digest that fails it was forged or altered, and so are the hashes it vouches for.",
  remediation: { terraform: "Treat the bucket as compromised: review who can write to it; keep log file validation on.", console: "Compare with `aws cloudtrail validate-logs` and review S3 access to the trail bucket." },
  docs: "Each digest under CloudTrail-Digest/ in the --since window verifies (SHA256withRSA over end time, S3 path, SHA-256 of the digest and the previous signature) against the public key with its fingerprint from CloudTrail ListPublicKeys.",
  notApplicable: trailOff,
  evaluate(facts) {
    const r = reportOf(facts);
    if (r.digests === 0) return skipped(resourceOf(facts), `no digest files between ${r.since} and ${r.until} (CloudTrail writes one an hour)`);
    return r.signatures.invalid.length > 0
      ? fail(resourceOf(facts), `${r.signatures.invalid.length} of ${r.digests} digests fail: ${list(r.signatures.invalid)}`)
      : pass(resourceOf(facts), `${r.digests} digest signatures valid`);
  },
};

export const integrityChain: Rule = {
  id: "integrity.digest-chain",
  title: "The digest chain has no gaps",
  severity: "high",
  rationale: "Each digest names the previous one with its hash and signature; a missing or changed link means digests (and the log files they list) were deleted or replaced.",
  remediation: { terraform: "Protect the trail bucket (versioning, Object Lock, no delete rights) and find out what removed the digest.", console: "Check the bucket's versions and CloudTrail's own S3 data events for deletes." },
  docs: "Consecutive digests link: previousDigestS3Object exists, previousDigestHashValue is the SHA-256 of that digest and previousDigestSignature is its signature.",
  notApplicable: trailOff,
  evaluate(facts) {
    const r = reportOf(facts);
    if (r.digests === 0) return skipped(resourceOf(facts), "no digest files in the window");
    return r.chain.gaps.length > 0 ? fail(resourceOf(facts), list(r.chain.gaps)) : pass(resourceOf(facts), `${r.digests} digests form an unbroken chain`);
  },
};

export const integrityLogFiles: Rule = {
  id: "integrity.log-files",
  title: "Log files are all there, unchanged, with none added",
  severity: "critical",
  rationale: "A modified or deleted log file hides activity; a file no digest lists was put there by someone other than CloudTrail.",
  remediation: { terraform: "Protect the trail bucket (versioning, Object Lock, no delete or put rights beyond CloudTrail).", console: "Restore from versions if possible, and investigate writes to the trail bucket." },
  docs: "Each log file a digest lists exists and its uncompressed SHA-256 matches; log files within the digests' time span that no digest lists are reported as extra.",
  notApplicable: trailOff,
  evaluate(facts) {
    const r = reportOf(facts);
    if (r.digests === 0) return skipped(resourceOf(facts), "no digest files in the window");
    const { missing, modified, extra, checked, valid } = r.logFiles;
    const problems = [missing.length && `missing: ${list(missing)}`, modified.length && `modified: ${list(modified)}`, extra.length && `not listed in any digest: ${list(extra)}`].filter(Boolean);
    return problems.length > 0 ? fail(resourceOf(facts), problems.join("; ")) : pass(resourceOf(facts), `${valid} of ${checked} log files match their digests`);
  },
};

export const INTEGRITY_RULES: readonly Rule[] = [integrityChain, integritySignatures, integrityLogFiles];
