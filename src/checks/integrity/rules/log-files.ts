import { fail, pass, skipped } from "../../../engine/rule.js";
import { trailOff } from "../../shared.js";
import type { IntegrityRule } from "../facts.js";
import { list, reportOf, resourceOf } from "./helpers.js";

export const integrityLogFiles: IntegrityRule = {
  id: "integrity.log-files",
  title: "Log files are all there, unchanged, with none added",
  severity: "critical",
  rationale:
    "A modified or deleted log file hides activity; a file no digest lists was put there by someone other than CloudTrail.",
  remediation: {
    terraform: "Protect the trail bucket (versioning, Object Lock, no delete or put rights beyond CloudTrail).",
    console: "Restore from versions if possible, and investigate writes to the trail bucket.",
  },
  docs: "Each log file a digest lists exists and its uncompressed SHA-256 matches; log files within the digests' time span that no digest lists are reported as extra.",
  notApplicable: trailOff,
  evaluate(facts) {
    const r = reportOf(facts);
    if (r.digests === 0) return skipped(resourceOf(facts), "no digest files in the window");
    const { missing, modified, extra, checked, valid } = r.logFiles;
    const problems = [
      missing.length && `missing: ${list(missing)}`,
      modified.length && `modified: ${list(modified)}`,
      extra.length && `not listed in any digest: ${list(extra)}`,
    ].filter(Boolean);
    return problems.length > 0
      ? fail(resourceOf(facts), problems.join("; "))
      : pass(resourceOf(facts), `${valid} of ${checked} log files match their digests`);
  },
};
