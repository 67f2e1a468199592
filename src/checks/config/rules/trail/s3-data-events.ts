import { bucketArn, exportTargets, keyPrefix } from "../../../../config/derived.js";
import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { AdvancedSelector, BasicSelector, ConfigRule } from "../../facts.js";
import { trailResource } from "../helpers.js";

/** Whether a selector records write data events on objects under `prefixArn` (`arn:aws:s3:::bucket/prefix/`). */
function advancedCovers(s: AdvancedSelector, prefixArn: string): boolean {
  const field = (name: string) => s.fieldSelectors.find((f) => f.field === name);
  if (!field("eventCategory")?.equals?.includes("Data")) return false;
  if (!field("resources.type")?.equals?.includes("AWS::S3::Object")) return false;
  if (field("readOnly")?.equals?.[0] === "true") return false;
  const arn = field("resources.ARN");
  if (!arn) return true; // all buckets
  if (arn.startsWith) return arn.startsWith.some((p) => prefixArn.startsWith(p));
  if (arn.equals) return false; // exact object ARNs never cover a whole prefix
  return !(arn.notStartsWith ?? []).some((p) => prefixArn.startsWith(p) || p.startsWith(prefixArn));
}

function basicCovers(s: BasicSelector, prefixArn: string): boolean {
  if (s.readWriteType === "ReadOnly") return false;
  return (s.dataResources ?? []).some(
    (d) =>
      d.type === "AWS::S3::Object" &&
      d.values.some((v) => /^arn:aws[a-z-]*:s3(:::)?$/.test(v) || prefixArn.startsWith(v)),
  );
}

export const trailS3DataEvents: ConfigRule = {
  id: "trail.s3-data-events",
  title: "S3 data events cover the export prefixes",
  severity: "medium",
  rationale:
    "Only S3 data events record who wrote each log file: the audit trail of Cloudsmith's writes into your bucket. A selector scoped to the export bucket or prefixes is enough.",
  remediation: {
    terraform:
      "Keep the generated advanced selector (eventCategory Data, resources.type AWS::S3::Object, resources.ARN StartsWith the export prefixes).",
    console: "CloudTrail > Trails > (trail) > Data events: S3, write events, for the export bucket or its prefixes.",
  },
  docs: "When `cloudtrail.dataEvents` is on: a basic or advanced selector records write data events for objects under every export prefix (all buckets, the bucket, or the prefix).",
  notApplicable: (cfg) =>
    trailOff(cfg) ?? (cfg.cloudtrail.dataEvents ? undefined : "cloudtrail.dataEvents is false in the config"),
  evaluate(facts) {
    const cfg = facts.config;
    if (!read(facts.trail, "the trail")) return fail(trailResource(cfg), "the trail does not exist");
    const selectors = read(facts.eventSelectors, "the event selectors") ?? { basic: [], advanced: [] };
    const uncovered = exportTargets(cfg)
      .map((t) => `${bucketArn(cfg)}/${keyPrefix(t.prefix)}`)
      .filter(
        (prefixArn) =>
          !selectors.advanced.some((s) => advancedCovers(s, prefixArn)) &&
          !selectors.basic.some((s) => basicCovers(s, prefixArn)),
      );
    return uncovered.length > 0
      ? fail(trailResource(cfg), `no data events for ${uncovered.join(", ")}`)
      : pass(trailResource(cfg), "write data events recorded on every export prefix");
  },
};
