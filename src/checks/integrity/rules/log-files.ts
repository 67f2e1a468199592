import { errored, fail, pass } from "../../../engine/rule.js";
import { trailOff } from "../../shared.js";
import type { IntegrityRule } from "../facts.js";
import { emptyWindow, list, reportOf, resourceOf } from "./helpers.js";

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
  docs: "Each log file a valid digest lists is read from the trail's bucket only, streamed through gunzip (at most 1 GiB) and SHA-256, and must match; beyond the reference, log files named for a time the digests cover that no digest lists are reported as extra.",
  notApplicable: trailOff,
  evaluate(facts) {
    const r = reportOf(facts);
    const empty = emptyWindow(facts, r);
    if (empty) return empty;
    const { missing, modified, unreadable, tooLarge, outside, extra, checked, valid } = r.logFiles;
    const problems = [
      missing.length && `missing: ${list(missing)}`,
      modified.length && `modified: ${list(modified)}`,
      unreadable.length && `not a log file CloudTrail wrote: ${list(unreadable)}`,
      outside.length && `listed in another bucket than the trail's, not read: ${list(outside)}`,
      extra.length && `not listed in any digest: ${list(extra)}`,
    ].filter(Boolean);
    if (problems.length === 0 && tooLarge.length > 0)
      return errored(
        resourceOf(facts),
        `larger than 1 GiB uncompressed, not read to the end, so not decided: ${list(tooLarge)}`,
      );
    // A digest that does not verify vouches for nothing: the log files it lists are unchecked.
    if (problems.length === 0 && r.signatures.invalid.length > 0)
      return errored(
        resourceOf(facts),
        `${r.signatures.invalid.length} digest(s) do not verify (integrity.digest-signatures), so the log files they list are not checked; ${valid} of ${checked} listed by valid digests match`,
      );
    if (tooLarge.length > 0) problems.push(`larger than 1 GiB uncompressed, not read: ${list(tooLarge)}`);
    return problems.length > 0
      ? fail(resourceOf(facts), problems.join("; "))
      : pass(resourceOf(facts), `${valid} of ${checked} log files match their digests`);
  },
};
