import { fail, pass, skipped } from "../../../engine/rule.js";
import { trailOff } from "../../shared.js";
import type { IntegrityRule } from "../facts.js";
import { list, reportOf, resourceOf } from "./helpers.js";

export const integritySignatures: IntegrityRule = {
  id: "integrity.digest-signatures",
  title: "Every digest file carries a valid CloudTrail signature",
  severity: "critical",
  rationale:
    "The digest signature proves CloudTrail wrote the digest: a digest that fails it was forged or altered, and so are the hashes it vouches for.",
  remediation: {
    terraform: "Treat the bucket as compromised: review who can write to it; keep log file validation on.",
    console: "Compare with `aws cloudtrail validate-logs` and review S3 access to the trail bucket.",
  },
  docs: "Each digest under CloudTrail-Digest/ in the --since window verifies (SHA256withRSA over end time, S3 path, SHA-256 of the digest and the previous signature) against the public key with its fingerprint from CloudTrail ListPublicKeys.",
  notApplicable: trailOff,
  evaluate(facts) {
    const r = reportOf(facts);
    if (r.digests === 0)
      return skipped(
        resourceOf(facts),
        `no digest files between ${r.since} and ${r.until} (CloudTrail writes one an hour)`,
      );
    return r.signatures.invalid.length > 0
      ? fail(
          resourceOf(facts),
          `${r.signatures.invalid.length} of ${r.digests} digests fail: ${list(r.signatures.invalid)}`,
        )
      : pass(resourceOf(facts), `${r.digests} digest signatures valid`);
  },
};
