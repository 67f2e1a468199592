/**
 * The brownfield corpus against the evaluator-backed rules: each realistic
 * variation gets exactly the verdict its fixture names for every config rule
 * (PASS, or SKIPPED where the rule does not apply, when the fixture is silent).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { RULES as CONFIG_RULES } from "../../../src/checks/deployment/rules/index.js";
import { evaluate } from "../../../src/engine/evaluate.js";
import { loadActionCatalog } from "../../../src/iam/action-catalog.js";
import { BROWNFIELD, brownfieldConfig, brownfieldFacts } from "../../helpers/brownfield.js";
import { configOf } from "../../helpers/configs.js";

beforeAll(() => loadActionCatalog(["s3:*", "s3-object-lambda:*", "kms:*", "sts:*", "iam:*"]));

describe("brownfield corpus", () => {
  it("holds at least 25 variations, at least 8 of them also applied to the emulator", () => {
    expect(BROWNFIELD.length).toBeGreaterThanOrEqual(25);
    expect(BROWNFIELD.filter((b) => b.live).length).toBeGreaterThanOrEqual(8);
    for (const b of BROWNFIELD) {
      expect(b.title.length, b.name).toBeGreaterThan(10);
      expect(b.why.length, b.name).toBeGreaterThan(20);
      for (const id of Object.keys(b.expect))
        expect(
          CONFIG_RULES.map((r) => r.id),
          b.name,
        ).toContain(id);
    }
  });

  it.each(BROWNFIELD.map((b) => [b.name, b] as const))("%s", (_name, b) => {
    const cfg = configOf(brownfieldConfig(b));
    const results = evaluate(CONFIG_RULES, brownfieldFacts(b));
    const got = Object.fromEntries(
      CONFIG_RULES.map((r) => [
        r.id,
        results
          .filter((x) => x.ruleId === r.id)
          .map((x) => x.status)
          .join(","),
      ]),
    );
    const want = Object.fromEntries(
      CONFIG_RULES.map((r) => [r.id, b.expect[r.id] ?? (r.notApplicable?.(cfg) ? "SKIPPED" : "PASS")]),
    );
    const messages = results.filter((x) => x.status !== "PASS").map((x) => `${x.ruleId}: ${x.message}`);
    expect(got, messages.join("\n")).toEqual(want);
  });
});
