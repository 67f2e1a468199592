import { s3Uri } from "../../../aws/s3.js";
import { read, Undecidable } from "../../../engine/fact.js";
import type { DeliveryFacts, DeliveryView, LogDelivery } from "../facts.js";

/** The pack's facts; a pack that could not collect is ERROR for every rule, never dropped. */
export function deliveryOf(facts: DeliveryView): DeliveryFacts {
  if (!facts.delivery) throw new Undecidable("ERROR", "delivery was not collected");
  return read(facts.delivery, "the delivered objects")!;
}

export const hoursBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 3_600_000;

export function formatAge(hours: number): string {
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.floor(hours)} h ${Math.round((hours % 1) * 60)} min`;
  return `${Math.round(hours / 24)} days`;
}

export const prefixResource = (bucket: string, prefix: string): string =>
  s3Uri(bucket, prefix === "" ? "" : `${prefix}/`);

/** Each log type's delivery, with failed reads turned into ERROR by `read`. */
export function logDeliveries(facts: DeliveryView): Array<{ resource: string; d: LogDelivery }> {
  return deliveryOf(facts).logs.map((l) => ({
    resource: prefixResource(facts.config.bucket.name, l.prefix),
    d: read(l.fact, `the objects under ${l.prefix || "the bucket root"}`)!,
  }));
}
