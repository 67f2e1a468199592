import {
  checkAccountId,
  checkCloudsmithPartition,
  checkOrgSlug,
  checkRegion,
  normaliseAccountId,
} from "../../config/rules.js";
import { answer, validateWith } from "../context.js";
import type { Step } from "./types.js";

export const organizationStep: Step = {
  id: "organization",
  label: "Cloudsmith organization",
  async run(ctx) {
    const v = await answer(ctx, {
      key: "organization",
      default: ctx.draft.organization ?? "",
      ask: (d) =>
        ctx.prompts.input({
          message: "Cloudsmith organization slug (as in cloudsmith.io/~<slug>; empty to skip)",
          default: d || undefined,
          validate: (s) => s.trim() === "" || validateWith(checkOrgSlug)(s),
        }),
    });
    if (v !== undefined) ctx.draft.organization = v.trim() === "" ? undefined : v.trim();
  },
  summary: (d) => [["Cloudsmith organization", d.organization ?? "(not given)"]],
};

export const accountStep: Step = {
  id: "accountId",
  label: "AWS account ID",
  async run(ctx) {
    const v = await answer(ctx, {
      key: "accountId",
      default: ctx.draft.accountId ?? (await ctx.callerAccount()),
      ask: (d) =>
        ctx.prompts.input({
          message: "AWS account ID that will own the bucket and role (12 digits)",
          default: d,
          validate: validateWith((x) => checkAccountId(normaliseAccountId(x))),
        }),
    });
    if (v !== undefined) ctx.draft.accountId = normaliseAccountId(v);
  },
  summary: (d) => [["AWS account ID", d.accountId ?? ""]],
};

export const regionStep: Step = {
  id: "region",
  label: "AWS region",
  async run(ctx) {
    const v = await answer(ctx, {
      key: "region",
      // An empty AWS_REGION counts as unset.
      default: ctx.draft.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1"),
      ask: (d) =>
        ctx.prompts.input({
          message: "AWS region for the bucket and the trail",
          default: d,
          // A China or GovCloud region is refused with the reason: Cloudsmith could never assume the role.
          validate: validateWith((v) => [...checkRegion(v), ...checkCloudsmithPartition(v)]),
        }),
    });
    if (v !== undefined) ctx.draft.region = v.trim();
  },
  summary: (d) => [["AWS region", d.region ?? ""]],
};
