import { fail, pass } from "../../../engine/rule.js";
import { trailOff } from "../../shared.js";
import type { IntegrityRule } from "../facts.js";
import { emptyWindow, list, reportOf, resourceOf } from "./helpers.js";

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
  docs: "Each digest the chain walk reaches (chosen by the time in its key, from `--since` to an hour after now) is gzip JSON with the required fields, sits where it says it does, and verifies (SHA256withRSA over end time, S3 path, SHA-256 of the digest and the previous signature) against the public key for its fingerprint from CloudTrail ListPublicKeys (for a backfill digest, the keys within an hour of its backfill-generation-timestamp). An empty window while log file validation is on fails.",
  notApplicable: trailOff,
  evaluate(facts) {
    const r = reportOf(facts);
    const empty = emptyWindow(facts, r);
    if (empty) return empty;
    const total = r.signatures.valid + r.signatures.invalid.length;
    return r.signatures.invalid.length > 0
      ? fail(
          resourceOf(facts),
          `${r.signatures.invalid.length} of ${total} digests fail: ${list(r.signatures.invalid)}`,
        )
      : pass(resourceOf(facts), `${r.signatures.valid} digest signatures valid`);
  },
};
