import { fail, type Outcome, pass, skipped } from "../../../engine/rule.js";
import type { DeliveryRule } from "../facts.js";
import { eachLogDelivery } from "./helpers.js";

export const deliveryExcludedFields: DeliveryRule = {
  id: "delivery.excluded-fields",
  title: "Fields the config excludes do not appear",
  severity: "high",
  rationale:
    "Excluding IP, geo or EULA data is usually a privacy decision; if they arrive anyway, personal data is stored that should not be.",
  remediation: {
    terraform: "Tell Cloudsmith which fields to exclude (`cloudsmith-log-export request`).",
    console: "Contact Cloudsmith with the export's field settings.",
  },
  docs: "No sampled record has a value in a field group listed in `exclude` (ip, geo, eula, namespace, repository).",
  notApplicable: (cfg) => (cfg.exclude.length === 0 ? "no fields are excluded in the config" : undefined),
  evaluate(facts) {
    return eachLogDelivery(facts, ({ resource, d }): Outcome => {
      if (!d.sample || d.sample.records === 0) return skipped(resource, "no records to check");
      return d.sample.excludedSeen.length > 0
        ? fail(resource, `excluded but present: ${d.sample.excludedSeen.join(", ")}`)
        : pass(resource, `none of ${facts.config.exclude.join(", ")} in ${d.sample.records} records`);
    });
  },
};
