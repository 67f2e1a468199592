/** The delivery rules (`verify --delivery`), sorted by id. */
import type { DeliveryRule } from "../facts.js";
import { deliveryCadence } from "./cadence.js";
import { deliveryCloudTrail } from "./cloudtrail.js";
import { deliveryCloudTrailCoverage } from "./cloudtrail-coverage.js";
import { deliveryExcludedFields } from "./excluded-fields.js";
import { deliveryFormat } from "./format.js";
import { deliveryFreshness } from "./freshness.js";

export const DELIVERY_RULES: readonly DeliveryRule[] = [
  deliveryCadence,
  deliveryCloudTrail,
  deliveryCloudTrailCoverage,
  deliveryExcludedFields,
  deliveryFormat,
  deliveryFreshness,
];
