/** The wizard's questions, in the order they are asked. */
import { accountStep, organizationStep, regionStep } from "./account.js";
import { cloudTrailStep, encryptionStep, queryStep, retentionStep, siemStep } from "./audit.js";
import { bucketStep, logTypesStep } from "./bucket.js";
import { externalIdStep, fieldsStep, formatStep, roleStep, scopeStep } from "./export.js";
import type { Step } from "./types.js";

export const STEPS: readonly Step[] = [
  organizationStep,
  accountStep,
  regionStep,
  bucketStep,
  logTypesStep,
  roleStep,
  formatStep,
  scopeStep,
  fieldsStep,
  externalIdStep,
  cloudTrailStep,
  encryptionStep,
  retentionStep,
  queryStep,
  siemStep,
];

export type { Step };
