import { fail, pass } from "../../../engine/rule.js";
import { trailOff } from "../../shared.js";
import type { IntegrityRule } from "../facts.js";
import { emptyWindow, list, reportOf, resourceOf } from "./helpers.js";

export const integrityChain: IntegrityRule = {
  id: "integrity.digest-chain",
  title: "The digest chain is unbroken and reaches the present",
  severity: "high",
  rationale:
    "Each digest names the previous one with its hash and signature, and CloudTrail delivers one an hour: a missing or changed link, or missing newest digests, means digests (and the log files they list) were deleted or replaced.",
  remediation: {
    terraform:
      "Protect the trail bucket (versioning, Object Lock, no delete rights) and find out what removed the digest.",
    console: "Check the bucket's versions and CloudTrail's own S3 data events for deletes.",
  },
  docs: "Walks the hourly digests (and, separately, backfill digests) from the newest back to `--since`, as `aws cloudtrail validate-logs` does: every digest the chain names exists, hashes to the recorded value and carries the recorded signature. Beyond the reference, the newest digest must reach CloudTrail's latest digest delivery (GetTrailStatus), or, without it, the last two hours; an empty window while log file validation is on fails. A new chain (logging or validation was off) is reported, not failed.",
  notApplicable: trailOff,
  evaluate(facts) {
    const r = reportOf(facts);
    const empty = emptyWindow(facts, r);
    if (empty) return empty;
    const problems = [...r.chain.gaps, ...(r.tail ? [r.tail] : [])];
    if (problems.length > 0) return fail(resourceOf(facts), list(problems));
    const breaks = r.chain.breaks.length > 0 ? `; ${list(r.chain.breaks)}` : "";
    return pass(
      resourceOf(facts),
      `${r.digests} digests${r.backfillDigests ? ` and ${r.backfillDigests} backfill digests` : ""} chained up to ${r.newestDigest ?? r.until}${breaks}`,
    );
  },
};
