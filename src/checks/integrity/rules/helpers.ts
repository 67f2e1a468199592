import { read, Undecidable } from "../../../engine/fact.js";
import { errored, fail, type Outcome, skipped } from "../../../engine/rule.js";
import { trailFilesResource } from "../../shared.js";
import type { IntegrityReport, IntegrityView } from "../facts.js";

/** The validation report; a pack that could not collect is ERROR for every rule, never dropped. */
export function reportOf(facts: IntegrityView): IntegrityReport {
  if (!facts.integrity) throw new Undecidable("ERROR", "integrity was not collected");
  return read(facts.integrity, "the CloudTrail digest files")!;
}

export const resourceOf = (facts: IntegrityView): string => trailFilesResource(facts.config);

export const list = (xs: string[]): string =>
  xs.length > 3 ? `${xs.slice(0, 3).join(", ")} and ${xs.length - 3} more` : xs.join(", ");

/**
 * A window that holds nothing to check, as every integrity rule reports it: FAIL when digests
 * should be there (log file validation is on and CloudTrail has delivered), SKIPPED when validation
 * is off or nothing was delivered yet. Undefined when there are digests.
 */
export function emptyWindow(facts: IntegrityView, r: IntegrityReport): Outcome | undefined {
  // A digest that could not be read leaves the chain, its signature and its log files undecided.
  if (r.unreadableDigests.length > 0)
    return errored(
      resourceOf(facts),
      `${r.unreadableDigests.length} digest(s) could not be read within this tool's bounds, so what they hold is not decided: ${list(r.unreadableDigests)}`,
    );
  if (r.digests + r.backfillDigests > 0) return undefined;
  if (r.validationOff)
    return skipped(resourceOf(facts), "log file validation is off on the trail: CloudTrail writes no digests");
  return r.tail
    ? fail(resourceOf(facts), r.tail)
    : skipped(
        resourceOf(facts),
        `no digest files between ${r.since} and ${r.until} (CloudTrail writes one an hour once validation is on)`,
      );
}
