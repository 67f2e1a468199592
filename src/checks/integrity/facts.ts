/** The integrity pack's facts: the result of validating CloudTrail digests and log files. */

import type { IntegrityReport } from "../../cloudtrail/validate/report.js";
import type { Fact } from "../../engine/fact.js";
import type { Rule } from "../../engine/rule.js";
import type { PackFacts } from "../pack.js";

export type { IntegrityReport };

/** What integrity rules read: set whenever the pack ran (an error fact when it could not). */
export interface IntegrityView extends PackFacts {
  integrity?: Fact<IntegrityReport>;
}

export type IntegrityRule = Rule<IntegrityView>;
