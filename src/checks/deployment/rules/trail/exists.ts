import { trailArn } from "../../../../config/derived.js";
import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { DeploymentRule } from "../../facts.js";
import { presence, trailResource } from "../helpers.js";

export const trailExists: DeploymentRule = {
  id: "trail.exists",
  title: "The trail exists in its home region",
  severity: "high",
  rationale: "Without the trail, CodeArtifact downloads and Cloudsmith's writes into the bucket leave no audit record.",
  remediation: {
    terraform: "Apply the generated aws_cloudtrail.cloudtrail_trail.",
    console: "CloudTrail > Trails > Create trail with the configured name, in the configured region.",
  },
  docs: "GetTrail by the configured name in `region` (mode create; its home region must be that region), or by `cloudtrail.trailArn` (mode existing: an organization trail is visible from member accounts).",
  notApplicable: trailOff,
  evaluate(facts) {
    const cfg = facts.config;
    const trail = read(facts.trail, "the trail");
    if (!trail)
      return fail(
        trailResource(cfg),
        cfg.cloudtrail.mode === "existing"
          ? `trail ${trailArn(cfg)} does not exist, or account ${cfg.accountId} cannot see it`
          : `trail ${cfg.cloudtrail.name} ${presence(facts).isNot} in ${cfg.region}`,
      );
    if (cfg.cloudtrail.mode === "create" && trail.homeRegion && trail.homeRegion !== cfg.region)
      return fail(trailResource(cfg), `trail's home region is ${trail.homeRegion}, the config says ${cfg.region}`);
    return pass(trailResource(cfg), `trail ${presence(facts).is}${trail.arn ? ` (${trail.arn})` : ""}`);
  },
};
