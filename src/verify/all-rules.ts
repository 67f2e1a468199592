/** Every rule the tool has: the configuration rules, then the delivery and integrity rules. */
import { DELIVERY_RULES } from "../delivery/rules/index.js";
import { INTEGRITY_RULES } from "../integrity/rules.js";
import type { Rule } from "./rule.js";
import { RULES } from "./rules/index.js";
import { cloudsmithAuditLogAccess } from "../cloudsmith/preflight.js";

export const ALL_RULES: readonly Rule[] = [...RULES, ...DELIVERY_RULES, ...INTEGRITY_RULES, cloudsmithAuditLogAccess];
