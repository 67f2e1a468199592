import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { AdvancedSelector, BasicSelector, ConfigRule } from "../../facts.js";
import { trailResource } from "../helpers.js";

const CODEARTIFACT = "codeartifact.amazonaws.com";

/** Which of read/write CodeArtifact management events a selector records. */
function advancedCoverage(s: AdvancedSelector): { read: boolean; write: boolean } {
  const field = (name: string) => s.fieldSelectors.find((f) => f.field === name);
  const category = field("eventCategory");
  if (!category?.equals?.includes("Management")) return { read: false, write: false };
  const source = field("eventSource");
  if (source?.notEquals?.includes(CODEARTIFACT) || (source?.equals && !source.equals.includes(CODEARTIFACT)))
    return { read: false, write: false };
  if (
    source?.notStartsWith?.some((p) => CODEARTIFACT.startsWith(p)) ||
    (source?.startsWith && !source.startsWith.some((p) => CODEARTIFACT.startsWith(p)))
  ) {
    return { read: false, write: false };
  }
  const ro = field("readOnly");
  const only = ro?.equals?.[0];
  return { read: only !== "false", write: only !== "true" };
}

function basicCoverage(s: BasicSelector): { read: boolean; write: boolean } {
  if (s.includeManagementEvents === false || s.excludeManagementEventSources?.includes(CODEARTIFACT))
    return { read: false, write: false };
  const t = s.readWriteType ?? "All";
  return { read: t === "All" || t === "ReadOnly", write: t === "All" || t === "WriteOnly" };
}

export const trailManagementEvents: ConfigRule = {
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
    const cover = [...selectors.basic.map(basicCoverage), ...selectors.advanced.map(advancedCoverage)];
    const readOk = cover.some((c) => c.read);
    const writeOk = cover.some((c) => c.write);
    if (readOk && writeOk) return pass(trailResource(cfg), "read and write management events, including CodeArtifact");
    const missing = [!readOk && "read-only (CodeArtifact downloads)", !writeOk && "write"]
      .filter(Boolean)
      .join(" and ");
    return fail(trailResource(cfg), `${missing} management events from ${CODEARTIFACT} are not recorded`);
  },
};
