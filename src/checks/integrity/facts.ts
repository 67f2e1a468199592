/** The integrity pack's facts: the result of validating CloudTrail digests and log files. */
import type { Fact } from "../../engine/fact.js";
import type { BaseFacts, Rule } from "../../engine/rule.js";

export interface IntegrityReport {
  since: string;
  until: string;
  digests: number;
  signatures: { valid: number; invalid: string[] };
  chain: { gaps: string[] };
  logFiles: { checked: number; valid: number; missing: string[]; modified: string[]; extra: string[] };
}

/** What integrity rules read: set whenever the pack ran (an error fact when it could not). */
export interface IntegrityView extends BaseFacts {
  integrity?: Fact<IntegrityReport>;
}

export type IntegrityRule = Rule<IntegrityView>;
