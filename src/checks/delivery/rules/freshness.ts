import { read } from "../../../engine/fact.js";
import { fail, type Outcome, pass, skipped } from "../../../engine/rule.js";
import type { DeliveryRule } from "../facts.js";
import { deliveryOf, eachLogDelivery, formatAge, hoursBetween } from "./helpers.js";

export const deliveryFreshness: DeliveryRule = {
  id: "delivery.freshness",
  title: "Each log type has a recent export",
  severity: "high",
  rationale:
    "Cloudsmith exports hourly. Nothing new for a day means the export stopped (a changed policy, a rotated External ID, a moved prefix) and logs are being lost.",
  remediation: {
    terraform:
      "Run verify without --delivery to find the broken permission; then check the export's status with Cloudsmith.",
    console: "Check the newest object under the prefix in S3, and the export's status with Cloudsmith.",
  },
  docs: "The newest object under each export prefix is younger than --max-age (default 26 h). An empty prefix right after deploy is SKIPPED (first export within the hour); still empty --max-age after the role was created, it fails.",
  evaluate(facts) {
    const delivery = deliveryOf(facts);
    return eachLogDelivery(facts, ({ resource, d }): Outcome => {
      if (!d.newest) {
        const created = read(delivery.roleCreated, "the role's creation time");
        const since = created ? hoursBetween(created, delivery.now) : 0;
        return since > delivery.maxAgeHours
          ? fail(resource, `no export yet, ${formatAge(since)} after the role was created`)
          : skipped(resource, "no export yet (the first export arrives within the hour)");
      }
      const age = hoursBetween(d.newest.lastModified, delivery.now);
      return age > delivery.maxAgeHours
        ? fail(resource, `newest export is ${formatAge(age)} old (limit ${delivery.maxAgeHours} h): ${d.newest.key}`)
        : pass(
            resource,
            `newest export ${formatAge(age)} ago (${d.objectCount}${d.truncated ? "+" : ""} objects): ${d.newest.key}${d.newest.gzip ? " (gzip)" : ""}`,
          );
    });
  },
};
