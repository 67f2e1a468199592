/** The delivery rules (`verify --delivery`), sorted by id. */
import type { Rule } from "../../../engine/rule.js";
import { deliveryCadence, deliveryFreshness } from "./freshness.js";
import { deliveryCloudTrail, deliveryCloudTrailCoverage } from "./cloudtrail.js";
import { deliveryExcludedFields, deliveryFormat } from "./format.js";

export const DELIVERY_RULES: readonly Rule[] = [deliveryCadence, deliveryCloudTrail, deliveryCloudTrailCoverage, deliveryExcludedFields, deliveryFormat, deliveryFreshness];
