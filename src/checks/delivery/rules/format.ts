import { fail, type Outcome, pass, skipped } from "../../../engine/rule.js";
import { FORMAT_LABELS } from "../../../handoff/message.js";
import type { DeliveryRule } from "../facts.js";
import { eachLogDelivery } from "./helpers.js";

export const deliveryFormat: DeliveryRule = {
  id: "delivery.format",
  title: "Exported files parse in the configured format",
  severity: "high",
  rationale:
    "A SIEM or pipeline set up for one format silently drops another: the format you told Cloudsmith must be the one that arrives.",
  remediation: {
    terraform: "Set `format` to what Cloudsmith actually sends, or ask Cloudsmith to change the export format.",
    console: "Open the newest object and compare it with the format in the config.",
  },
  docs: "The newest objects (up to 3, 5,000 lines each, gzip detected by magic bytes) parse as the configured format with no errors, and records have the expected fields (client logs: datetime, method, uri, status; audit logs: event, event_at, actor).",
  evaluate(facts) {
    const label = FORMAT_LABELS[facts.config.format];
    return eachLogDelivery(facts, ({ resource, d }): Outcome => {
      if (!d.sample) return skipped(resource, "no export yet");
      const s = d.sample;
      if (s.errors.length > 0) {
        const shown = s.errors
          .slice(0, 3)
          .map((e) => `${e.key} line ${e.line}: ${e.message}`)
          .join("; ");
        return fail(resource, `${s.errors.length} line(s) are not ${label}: ${shown}`);
      }
      if (s.records === 0) return fail(resource, `the newest ${s.objects} object(s) hold no records`);
      if (s.missingFields.length > 0) return fail(resource, `records lack ${s.missingFields.join(", ")}`);
      return pass(resource, `${s.records} ${label} records read from ${s.objects} object(s)`);
    });
  },
};
