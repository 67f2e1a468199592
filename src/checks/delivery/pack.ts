/** `verify --delivery`: exports arrive, parse, and exclude what they should; CloudTrail files arrive. */
import { attemptAws as attempt } from "../../aws/describe-error.js";
import { exportTargets } from "../../config/derived.js";
import { failed } from "../../engine/fact.js";
import { durationFlag } from "../../util/duration.js";
import { usageError } from "../../util/errors.js";
import { flagSpec } from "../../util/flag-spec.js";
import { definePack } from "../pack.js";
import { decryptThroughS3, LIVE_ONLY, listBuckets, readTrailFiles, trailKeys } from "../shared.js";
import type { DeliveryView } from "./facts.js";
import { DELIVERY_RULES } from "./rules/index.js";

export interface DeliveryOptions {
  maxAgeHours: number;
  now?: Date;
}

export const deliveryPack = definePack<DeliveryOptions, DeliveryView>({
  id: "delivery",
  groups: [["delivery", "Delivery"]],
  rules: DELIVERY_RULES,
  switchFlag: "--delivery",
  flags: [
    flagSpec({
      flags: "--delivery",
      help: "also check that exports arrive, parse and exclude what they should, and that CloudTrail files arrive",
    }),
    flagSpec({
      flags: "--max-age <duration>",
      help: "with --delivery: newest export older than this fails (e.g. 26h, 2d)",
      default: "26h",
    }),
  ],
  options({ values, staticPath }) {
    const maxAgeMs = durationFlag("--max-age", String(values.maxAge ?? "26h"));
    // It reads what arrived in the deployed bucket: there is nothing to read before deploy.
    if (values.delivery && staticPath !== undefined) throw usageError(LIVE_ONLY);
    return values.delivery ? { maxAgeHours: maxAgeMs / 3_600_000 } : undefined;
  },
  configFields: { delivery: ["bucket"] },
  permissions: [
    listBuckets,
    {
      sid: "ReadExports",
      operations: ["S3.GetObject"],
      resources: (cfg) => exportTargets(cfg).map((t) => t.objectArn),
      on: "objects under the export prefixes",
      why: "--delivery: parse the newest export of each log type",
    },
    readTrailFiles,
    decryptThroughS3((cfg) => [
      ...(cfg.encryption.type === "SSE-KMS" ? [cfg.encryption.kmsKeyArn] : []),
      ...trailKeys(cfg),
    ]),
  ],
  async collect(ctx, options, facts) {
    const { collectDelivery } = await import("./collect.js");
    const clients = await ctx.clients();
    facts.delivery = await attempt(() => collectDelivery(clients, ctx.config, options));
  },
  fail(facts, detail) {
    facts.delivery = failed(detail);
  },
});
