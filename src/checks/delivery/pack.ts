/** `verify --delivery`: exports arrive, parse, and exclude what they should; CloudTrail files arrive. */
import { attempt, failed } from "../../engine/fact.js";
import type { CheckPack } from "../../engine/pack.js";
import type { CheckOptions, CollectContext } from "../context.js";
import type { DeliveryView } from "./facts.js";
import { DELIVERY_RULES } from "./rules/index.js";

export const deliveryPack: CheckPack<CheckOptions, CollectContext, DeliveryView> = {
  id: "delivery",
  groups: [["delivery", "Delivery"]],
  rules: DELIVERY_RULES,
  enabled: (o) => o.delivery !== undefined,
  async collect(ctx, facts) {
    const { collectDelivery } = await import("./collect.js");
    const clients = await ctx.clients();
    facts.delivery = await attempt(() => collectDelivery(clients, ctx.config, ctx.options.delivery!));
  },
  fail(facts, detail) {
    facts.delivery = failed(detail);
  },
};
