/** The configuration checks: role, trust, permissions, buckets, trail and key, live or from Terraform. */
import { failed } from "../../engine/fact.js";
import type { CheckPack } from "../../engine/pack.js";
import type { CheckOptions, CollectContext } from "../context.js";
import type { BucketFacts, ConfigFacts } from "./facts.js";
import { RULES } from "./rules/index.js";

export const configPack: CheckPack<CheckOptions, CollectContext, ConfigFacts> = {
  id: "config",
  groups: [
    ["identity", "Identity"],
    ["role", "Role"],
    ["trust", "Trust policy"],
    ["permissions", "Permissions"],
    ["bucket", "Bucket"],
    ["trail", "CloudTrail"],
    ["analyzer", "IAM Access Analyzer"],
  ],
  rules: RULES,
  enabled: () => true,
  async collect(ctx, facts) {
    if (ctx.terraform) {
      const { factsFromTerraform } = await import("./collect/static/facts.js");
      Object.assign(facts, factsFromTerraform(ctx.config, ctx.terraform));
      return;
    }
    const { collectLive } = await import("./collect/live/index.js");
    const clients = await ctx.clients();
    Object.assign(
      facts,
      await collectLive(
        ctx.config,
        ctx.options.aws,
        (done, total) => ctx.progress(done, total, "Reading AWS…"),
        clients,
        ctx.identity,
      ),
    );
  },
  fail(facts, detail) {
    const f = failed<never>(detail);
    const bucket = (name: string): BucketFacts => ({
      name,
      exists: f,
      publicAccessBlock: f,
      ownership: f,
      policy: f,
      requestPayer: f,
      encryption: f,
    });
    const exportBucket = bucket(facts.config.bucket.name);
    Object.assign(facts, {
      identity: f,
      role: f,
      rolePolicies: f,
      permissionsBoundary: f,
      exportBucket,
      trailBucket: exportBucket,
      trail: f,
      trailStatus: f,
      trailDeliveryError: f,
      eventSelectors: f,
      kmsKeyPolicy: f,
      kmsGrants: f,
      analyzerFindings: f,
      analyzerNoNewAccess: f,
    } satisfies Omit<ConfigFacts, "source" | "config">);
  },
};
