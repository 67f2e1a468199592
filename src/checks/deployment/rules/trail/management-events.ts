import { CODEARTIFACT, codeArtifactEvent, trailRecords } from "../../../../cloudtrail/selectors.js";
import { read, Undecidable } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { isUndecided } from "../../../../iam/eval/tri.js";
import { trailOff } from "../../../shared.js";
import type { DeploymentRule } from "../../facts.js";
import { trailResource } from "../helpers.js";

export const trailManagementEvents: DeploymentRule = {
  id: "trail.management-events",
  title: "Management events: read and write, CodeArtifact not excluded",
  severity: "high",
  rationale:
    "CodeArtifact package downloads are read-only management events (ReadFromRepository). A WriteOnly trail, or one that excludes codeartifact.amazonaws.com, silently drops them (CIS CloudTrail.1).",
  remediation: {
    terraform:
      "Use the generated advanced selector: eventCategory = Management with no readOnly or eventSource filter.",
    console: "CloudTrail > Trails > (trail) > Management events: Read and Write; do not exclude any event source.",
  },
  docs: "Across the trail's basic or advanced event selectors, CodeArtifact management events are recorded for both read-only and write calls.",
  notApplicable: trailOff,
  evaluate(facts) {
    const cfg = facts.config;
    if (!read(facts.trail, "the trail")) return fail(trailResource(cfg), "the trail does not exist");
    const selectors = read(facts.eventSelectors, "the event selectors") ?? { basic: [], advanced: [] };
    const readOk = trailRecords(selectors, codeArtifactEvent(true));
    const writeOk = trailRecords(selectors, codeArtifactEvent(false));
    if (readOk === true && writeOk === true) {
      return pass(trailResource(cfg), "read and write management events, including CodeArtifact");
    }
    const missing = [readOk === false && "read-only (CodeArtifact downloads)", writeOk === false && "write"].filter(
      Boolean,
    );
    if (missing.length > 0) {
      return fail(
        trailResource(cfg),
        `${missing.join(" and ")} management events from ${CODEARTIFACT} are not recorded`,
      );
    }
    const open = isUndecided(readOk) ? readOk : isUndecided(writeOk) ? writeOk : undefined;
    throw new Undecidable(
      "ERROR",
      `cannot tell whether CodeArtifact events are recorded: ${open?.reason ?? "unknown"}`,
    );
  },
};
