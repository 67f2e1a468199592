import { read } from "../../../engine/fact.js";
import { fail, pass, skipped } from "../../../engine/rule.js";
import { trailFilesResource, trailOff } from "../../shared.js";
import type { DeliveryRule } from "../facts.js";
import { deliveryOf } from "./helpers.js";

export const deliveryCloudTrailCoverage: DeliveryRule = {
  id: "delivery.cloudtrail-coverage",
  title: "Recommendation: the trail shows CodeArtifact activity and Cloudsmith's writes",
  severity: "info",
  rationale:
    "Seeing codeartifact.amazonaws.com events and S3 PutObject data events on the export prefixes in the files confirms the selectors record what you need. A recommendation: quiet hours are normal.",
  remediation: {
    terraform: "Check the trail's event selectors (verify without --delivery).",
    console: "CloudTrail > Event history: filter by event source.",
  },
  docs: "The newest CloudTrail files contain CodeArtifact events and, with `cloudtrail.dataEvents`, S3 writes under the export prefixes.",
  notApplicable: trailOff,
  evaluate(facts) {
    const delivery = deliveryOf(facts);
    const resource = trailFilesResource(facts.config);
    const ct = read(delivery.cloudTrail, "the CloudTrail log files")!;
    if (!ct.newest) return skipped(resource, "no CloudTrail log file yet");
    const seen = [
      `CodeArtifact: ${ct.codeArtifact.readOnly} read-only, ${ct.codeArtifact.write} write`,
      `Cloudsmith writes on the export prefixes: ${ct.exportWrites}`,
    ];
    const missing = [
      ct.codeArtifact.readOnly + ct.codeArtifact.write === 0 && "no CodeArtifact events",
      facts.config.cloudtrail.dataEvents && ct.exportWrites === 0 && "no S3 writes on the export prefixes",
    ].filter(Boolean);
    return missing.length > 0
      ? fail(resource, `${missing.join("; ")} in the newest files (${seen.join("; ")})`)
      : pass(resource, seen.join("; "));
  },
};
