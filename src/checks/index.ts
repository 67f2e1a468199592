/** Every rule the tool has: the configuration rules, then the delivery and integrity rules. */
import { DELIVERY_RULES } from "./delivery/rules/index.js";
import { INTEGRITY_RULES } from "./integrity/rules/index.js";
import type { Rule } from "../engine/rule.js";
import { RULES } from "./config/rules/index.js";
import { cloudsmithAuditLogAccess } from "./cloudsmith/collect.js";

export const ALL_RULES: readonly Rule[] = [...RULES, ...DELIVERY_RULES, ...INTEGRITY_RULES, cloudsmithAuditLogAccess];
