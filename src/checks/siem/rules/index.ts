/** The SIEM hand-off's rules (`verify --siem`), sorted by id. */
import type { SiemRule } from "../facts.js";
import { siemDeadLetter } from "./dead-letter.js";
import { siemDelivery } from "./delivery.js";
import { siemNotifications } from "./notifications.js";
import { siemQueueEncryption } from "./queue-encryption.js";
import { siemQueuePolicy } from "./queue-policy.js";
import { siemReaderAccess } from "./reader-access.js";
import { siemReaderLeastPrivilege } from "./reader-least-privilege.js";
import { siemReaderTrust } from "./reader-trust.js";

export const SIEM_RULES: readonly SiemRule[] = [
  siemDeadLetter,
  siemDelivery,
  siemNotifications,
  siemQueueEncryption,
  siemQueuePolicy,
  siemReaderAccess,
  siemReaderLeastPrivilege,
  siemReaderTrust,
];
