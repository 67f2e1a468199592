import { type TrailEvent, trailRecords } from "../../../../cloudtrail/selectors.js";
import { bucketArn, exportTargets, keyPrefix, partition } from "../../../../config/derived.js";
import type { Config } from "../../../../config/schema.js";
import { read, Undecidable } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { isUndecided } from "../../../../iam/eval/tri.js";
import { trailOff } from "../../../shared.js";
import type { DeploymentRule } from "../../facts.js";
import { trailResource } from "../helpers.js";

/** Cloudsmith's write of any object under the prefix, as CloudTrail would record it. */
const exportWrite = (cfg: Config, prefixArn: string): TrailEvent => ({
  eventCategory: "Data",
  eventSource: "s3.amazonaws.com",
  eventName: "PutObject",
  eventType: "AwsApiCall",
  readOnly: "false",
  "resources.type": "AWS::S3::Object",
  "resources.ARN": { prefix: prefixArn },
  "userIdentity.arn": { prefix: `arn:${partition(cfg)}:sts::${cfg.accountId}:assumed-role/${cfg.roleName}/` },
  sessionCredentialFromConsole: "false",
});

export const trailS3DataEvents: DeploymentRule = {
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
  docs: "When `cloudtrail.dataEvents` is on: the trail's selectors, evaluated over every field and operator, record a PutObject by the role on any object under every export prefix. A selector this check cannot evaluate is ERROR, never covered.",
  notApplicable: (cfg) =>
    trailOff(cfg) ?? (cfg.cloudtrail.dataEvents ? undefined : "cloudtrail.dataEvents is false in the config"),
  evaluate(facts) {
    const cfg = facts.config;
    if (!read(facts.trail, "the trail")) return fail(trailResource(cfg), "the trail does not exist");
    const selectors = read(facts.eventSelectors, "the event selectors") ?? { basic: [], advanced: [] };
    const verdicts = exportTargets(cfg).map((t) => {
      const prefixArn = `${bucketArn(cfg)}/${keyPrefix(t.prefix)}`;
      return { prefixArn, recorded: trailRecords(selectors, exportWrite(cfg, prefixArn)) };
    });
    const uncovered = verdicts.filter((v) => v.recorded === false).map((v) => v.prefixArn);
    if (uncovered.length > 0)
      return fail(trailResource(cfg), `Cloudsmith's writes are not recorded under ${uncovered.join(", ")}`);
    const open = verdicts.find((v) => isUndecided(v.recorded));
    if (open && isUndecided(open.recorded)) {
      throw new Undecidable(
        "ERROR",
        `cannot tell whether writes under ${open.prefixArn} are recorded: ${open.recorded.reason}`,
      );
    }
    return pass(trailResource(cfg), "PutObject by the role is recorded under every export prefix");
  },
};
