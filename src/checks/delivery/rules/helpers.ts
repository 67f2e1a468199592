import { s3Uri } from "../../../aws/s3.js";
import { read, Undecidable } from "../../../engine/fact.js";
import { errored, type Outcome, skipped } from "../../../engine/rule.js";
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

/**
 * One outcome per log type: `judge` for each prefix that could be read, ERROR for each that could
 * not. A prefix that fails never hides the others' results.
 */
export function eachLogDelivery(
  facts: DeliveryView,
  judge: (x: { resource: string; d: LogDelivery }) => Outcome,
): Outcome[] {
  return deliveryOf(facts).logs.map((l) => {
    const resource = prefixResource(facts.config.bucket.name, l.prefix);
    if (l.fact.state === "present") return judge({ resource, d: l.fact.value });
    const what = `the objects under ${l.prefix || "the bucket root"}`;
    return l.fact.state === "skip"
      ? skipped(resource, l.fact.detail)
      : errored(resource, `could not read ${what}: ${l.fact.detail}`);
  });
}
