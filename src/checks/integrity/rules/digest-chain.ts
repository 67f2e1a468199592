import { fail, pass, skipped } from "../../../engine/rule.js";
import { trailOff } from "../../shared.js";
import type { IntegrityRule } from "../facts.js";
import { list, reportOf, resourceOf } from "./helpers.js";

export const integrityChain: IntegrityRule = {
  id: "integrity.digest-chain",
  title: "The digest chain has no gaps",
  severity: "high",
  rationale:
    "Each digest names the previous one with its hash and signature; a missing or changed link means digests (and the log files they list) were deleted or replaced.",
  remediation: {
    terraform:
      "Protect the trail bucket (versioning, Object Lock, no delete rights) and find out what removed the digest.",
    console: "Check the bucket's versions and CloudTrail's own S3 data events for deletes.",
  },
  docs: "Consecutive digests link: previousDigestS3Object exists, previousDigestHashValue is the SHA-256 of that digest and previousDigestSignature is its signature.",
  notApplicable: trailOff,
  evaluate(facts) {
    const r = reportOf(facts);
    if (r.digests === 0) return skipped(resourceOf(facts), "no digest files in the window");
    return r.chain.gaps.length > 0
      ? fail(resourceOf(facts), list(r.chain.gaps))
      : pass(resourceOf(facts), `${r.digests} digests form an unbroken chain`);
  },
};
