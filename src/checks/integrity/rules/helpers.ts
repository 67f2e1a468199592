import { read, Undecidable } from "../../../engine/fact.js";
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
