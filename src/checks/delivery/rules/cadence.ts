import { fail, type Outcome, pass, skipped } from "../../../engine/rule.js";
import type { DeliveryRule } from "../facts.js";
import { deliveryOf, eachLogDelivery, formatAge, hoursBetween } from "./helpers.js";

export const deliveryCadence: DeliveryRule = {
  id: "delivery.cadence",
  title: "Recommendation: exports arrive every hour",
  severity: "info",
  rationale:
    "An export older than two hours means at least one hourly export was missed or is late. A recommendation: only delivery.freshness fails the run.",
  remediation: {
    terraform: "Watch the next hour; if it persists, check the export with Cloudsmith.",
    console: "Compare the newest objects' times under the prefix.",
  },
  docs: "The newest object under each export prefix is at most 2 h old.",
  evaluate(facts) {
    const delivery = deliveryOf(facts);
    return eachLogDelivery(facts, ({ resource, d }): Outcome => {
      if (!d.newest) return skipped(resource, "no export yet");
      const age = hoursBetween(d.newest.lastModified, delivery.now);
      return age > 2
        ? fail(resource, `newest export is ${formatAge(age)} old; hourly exports expected`)
        : pass(resource, `newest export ${formatAge(age)} ago`);
    });
  },
};
