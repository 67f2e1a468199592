/**
 * trust.external-id against wildcard patterns: a StringLike value with `*` or `?` admits External
 * IDs Cloudsmith never issued, whatever shape the pattern has. The probes are built to match each
 * pattern and differ from the issued ID.
 *
 * IAM User Guide, "IAM JSON policy elements: Condition operators", string condition operators:
 * "StringLike: Case-sensitive matching. The values can include multi-character match wildcards (*)
 * and single-character match wildcards (?) anywhere in the string."
 * IAM User Guide, "IAM policy elements: Variables and tags", special characters: "${*} - use where
 * you need an * (asterisk) character", "${?} - use where you need a ? (question mark) character".
 */
import { describe, expect, it } from "vitest";
import { valuesAdmittedBy } from "../../../src/checks/deployment/requests.js";
import { wildcardMatch } from "../../../src/iam/eval/wildcard.js";
import { verifyFacts } from "../../../src/verify/run-one.js";
import { base } from "../../helpers/configs.js";
import { healthyFacts, trustStatement } from "../../helpers/facts.js";

const ISSUED = "cs-ext-0123456789";

describe("values a wildcard pattern admits besides the issued ID", () => {
  it.each([
    "cs-ext-012345678?",
    "*0123456789",
    "cs-*",
    "cs-ext-0123456789*",
    "*",
    "c?-ext-0123456789",
    "cs-ext-*-0123456789",
  ])("%s: at least one, each matching the pattern and not the issued ID", (pattern) => {
    const values = valuesAdmittedBy(pattern, ISSUED);
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) {
      expect(v).not.toBe(ISSUED);
      expect(wildcardMatch(pattern, v), `${pattern} matches ${v}`).toBe(true);
    }
  });

  it("an exact value, or one whose wildcards are written ${*} and ${?}, admits nothing else", () => {
    expect(valuesAdmittedBy(ISSUED, ISSUED)).toEqual([]);
    expect(valuesAdmittedBy("a${*}b${?}c${$}", "a*b?c$")).toEqual([]);
  });

  it("a pattern with another policy variable is the caller's value: no probe is made up", () => {
    expect(valuesAdmittedBy("${aws:username}-*", ISSUED)).toEqual([]);
  });
});

describe("trust.external-id names the pattern that admits another ID", () => {
  it.each(["cs-ext-012345678?", "*0123456789", "cs-ext-01234*789"])("%s", async (pattern) => {
    const facts = healthyFacts({ ...base });
    trustStatement(facts).Condition = { StringLike: { "sts:ExternalId": pattern } };
    const r = (await verifyFacts(facts)).find((x) => x.ruleId === "trust.external-id")!;
    expect(r.status).toBe("FAIL");
    expect(r.message).toContain(`the pattern "${pattern}" admits`);
  });
});
