import type { Facts } from "../../config/facts.js";
import { read, Undecidable } from "../../../engine/rule.js";
import type { DeliveryFacts, LogDelivery } from "../collect.js";

export function deliveryOf(facts: Facts): DeliveryFacts {
  if (!facts.delivery) throw new Undecidable("SKIPPED", "delivery was not checked (run verify --delivery)");
  return facts.delivery;
}

export const hoursBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 3_600_000;

export function formatAge(hours: number): string {
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.floor(hours)} h ${Math.round((hours % 1) * 60)} min`;
  return `${Math.round(hours / 24)} days`;
}

export const prefixResource = (bucket: string, prefix: string): string => `s3://${bucket}/${prefix === "" ? "" : `${prefix}/`}`;

/** Each log type's delivery, with failed reads turned into ERROR by `read`. */
export function logDeliveries(facts: Facts): Array<{ resource: string; d: LogDelivery }> {
  return deliveryOf(facts).logs.map((l) => ({ resource: prefixResource(facts.config.bucket.name, l.prefix), d: read(l.fact, `the objects under ${l.prefix || "the bucket root"}`)! }));
}
