/**
 * Trail rules that each test one attribute of the trail (Checkov's "attribute
 * must be set" checks are the model): one factory, while each rule keeps its
 * own file, id, rationale and remediation.
 */
import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { DeploymentRule, TrailFact } from "../../facts.js";
import { trailResource } from "../helpers.js";

export interface TrailAttributeSpec extends Omit<DeploymentRule, "evaluate" | "notApplicable"> {
  /** Defaults to "the config has no trail". */
  notApplicable?: DeploymentRule["notApplicable"];
  holds(trail: TrailFact): boolean;
  passMessage(trail: TrailFact): string;
  failMessage: string;
}

export function trailAttributeRule({ holds, passMessage, failMessage, ...meta }: TrailAttributeSpec): DeploymentRule {
  return {
    notApplicable: trailOff,
    ...meta,
    evaluate(facts) {
      const resource = trailResource(facts.config);
      const trail = read(facts.trail, "the trail");
      if (!trail) return fail(resource, "the trail does not exist");
      return holds(trail) ? pass(resource, passMessage(trail)) : fail(resource, failMessage);
    },
  };
}
