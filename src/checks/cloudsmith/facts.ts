/** The Cloudsmith pack's facts: whether the API key can read the organization's audit log. */
import type { Fact } from "../../engine/fact.js";
import type { Rule } from "../../engine/rule.js";
import type { PackFacts } from "../pack.js";

export interface AuditLogAccess {
  org: string;
  ok: boolean;
  message: string;
}

/** What Cloudsmith rules read: set whenever the pack ran (an error fact when it could not). */
export interface CloudsmithView extends PackFacts {
  cloudsmithAuditLog?: Fact<AuditLogAccess>;
}

export type CloudsmithRule = Rule<CloudsmithView>;
