/**
 * The runner picks rules from what the user asked for, not from which facts
 * happen to exist: a pack that could not collect reports ERROR for every rule.
 */
import { describe, expect, it } from "vitest";
import { ALL_RULES, PACKS } from "../../src/checks/index.js";
import { unreadableFacts, verifyFacts } from "../../src/verify/run-one.js";
import { base, configOf } from "../helpers/configs.js";

const cfg = configOf({
  ...base,
  exclude: ["ip"],
  format: "csv",
  query: { athena: {} },
  siem: { reader: { principal: "arn:aws:iam::123456789012:role/collector" } },
});
const asked = {
  aws: {},
  delivery: { maxAgeHours: 26 },
  integrity: { since: new Date(0) },
  cloudsmith: { org: "acme", apiKey: "k" },
  query: {},
  siem: { delivery: true },
};

describe("verify runner", () => {
  it("a config whose role cannot be assumed: every rule of every requested pack is ERROR, none dropped", async () => {
    const results = await verifyFacts(
      unreadableFacts(cfg, asked, "could not assume arn:aws:iam::123456789012:role/Audit"),
      asked,
    );
    expect(results.map((r) => r.ruleId).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
    for (const r of results) {
      // Only a rule that does not apply to this config (e.g. permissions.kms with SSE-S3) is SKIPPED.
      const notApplicable = ALL_RULES.find((x) => x.id === r.ruleId)!.notApplicable?.(cfg);
      expect([r.ruleId, r.status], r.message).toEqual([r.ruleId, notApplicable ? "SKIPPED" : "ERROR"]);
      if (!notApplicable) expect(r.message).toContain("could not assume");
    }
  });

  it("packs the user did not ask for add no rules", async () => {
    const results = await verifyFacts(unreadableFacts(cfg, { aws: {} }, "no"), { aws: {} });
    expect(results.some((r) => /^(delivery|integrity|cloudsmith|query|siem)\./.test(r.ruleId))).toBe(false);
    expect(results.length).toBe(PACKS.filter((p) => p.switchFlag === undefined).flatMap((p) => p.rules).length);
  });
});
