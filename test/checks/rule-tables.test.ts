/**
 * Every rule of every pack against its fact table (one table file per area):
 * the valid facts PASS, each invalid change gives the status it names, and a
 * failed read is ERROR (never PASS, never FAIL). The inventory keeps every
 * rule documented, tabled and in the README.
 */
import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ALL_RULES, PACKS } from "../../src/checks/index.js";
import { evaluate } from "../../src/engine/evaluate.js";
import type { Status } from "../../src/engine/rule.js";
import { loadActionCatalog } from "../../src/iam/action-catalog.js";
import { renderPermissionDocs } from "../../src/verify/permission-docs.js";
import { renderRuleDocs, ruleDocFiles } from "../../src/verify/rule-docs.js";
import { base } from "../helpers/configs.js";
import { allPackFacts, healthyFacts, trail } from "../helpers/facts.js";
import type { AreaTables, RuleCase } from "../helpers/rule-table.js";
import { TABLES as cloudsmith } from "./cloudsmith/table.js";
import { TABLES as deliveryTables } from "./delivery/table.js";
import { TABLES as analyzer } from "./deployment/tables/analyzer.js";
import { TABLES as bucket } from "./deployment/tables/bucket.js";
import { TABLES as identity } from "./deployment/tables/identity.js";
import { TABLES as permissions } from "./deployment/tables/permissions.js";
import { TABLES as retention } from "./deployment/tables/retention.js";
import { TABLES as role } from "./deployment/tables/role.js";
import { TABLES as trailTables } from "./deployment/tables/trail.js";
import { TABLES as trust } from "./deployment/tables/trust.js";
import { TABLES as integrityTables } from "./integrity/table.js";
import { TABLES as queryTables } from "./query/table.js";
import { TABLES as siemTables } from "./siem/table.js";

const AREAS: Record<string, AreaTables> = {
  identity,
  role,
  trust,
  permissions,
  bucket,
  retention,
  trail: trailTables,
  analyzer,
  delivery: deliveryTables,
  integrity: integrityTables,
  cloudsmith,
  query: queryTables,
  siem: siemTables,
};

beforeAll(() => loadActionCatalog(["s3:*", "s3-object-lambda:*", "kms:*", "sts:*", "iam:*", "sqs:*"]));

function results(ruleId: string, c: RuleCase) {
  const rule = ALL_RULES.find((r) => r.id === ruleId)!;
  const facts = structuredClone(c.facts ? c.facts() : allPackFacts());
  c.mutate?.(facts);
  return evaluate([rule], facts);
}
const statuses = (ruleId: string, c: RuleCase): Status[] => results(ruleId, c).map((r) => r.status);

for (const [area, tables] of Object.entries(AREAS)) {
  describe(area, () => {
    for (const [ruleId, table] of Object.entries(tables)) {
      describe(ruleId, () => {
        it.each(table.valid.map((c) => [c.name, c] as const))("valid: %s", (_name, c) => {
          const got = statuses(ruleId, c);
          expect(got.length).toBeGreaterThan(0);
          expect(new Set(got)).toEqual(new Set(["PASS"]));
        });
        it.each(table.invalid.map((c) => [c.name, c] as const))("invalid: %s", (_name, c) => {
          const got = statuses(ruleId, c);
          expect(got).toContain(c.expect);
          // A failed read never hides behind a FAIL, and nothing undecided ever PASSes.
          if (c.expect !== "FAIL") expect(got).not.toContain("FAIL");
          if (c.oneOfSeveral) {
            // The affected resource is not the one that passes: each is reported on its own.
            const rs = results(ruleId, c);
            const affected = new Set(rs.filter((r) => r.status === c.expect).map((r) => r.resource));
            for (const r of rs.filter((x) => x.status === "PASS")) expect(affected.has(r.resource)).toBe(false);
            expect(rs.length).toBeGreaterThan(1);
          } else expect(got).not.toContain("PASS");
        });
      });
    }
  });
}

describe("rule inventory", () => {
  const ruleIndex = readFileSync(new URL("../../docs/rules/README.md", import.meta.url), "utf8");
  const rulePage = (id: string) => readFileSync(new URL(`../../docs/rules/${id}.md`, import.meta.url), "utf8");
  const tabled = Object.values(AREAS).flatMap((t) => Object.entries(t));

  it("ids are unique across all packs and each pack's registry is sorted", () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const pack of PACKS) {
      const own = pack.rules.map((r) => r.id);
      expect([...own].sort(), pack.id).toEqual(own);
    }
  });

  it("every rule has a table, each with facts that pass and facts that fail, and an ERROR or SKIPPED case", () => {
    expect(ALL_RULES.length).toBeGreaterThanOrEqual(40);
    expect(tabled.map(([id]) => id).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
    for (const [id, table] of tabled) {
      expect(table.valid.length, `${id} has valid facts`).toBeGreaterThan(0);
      // A recommendation (severity info) that is not met is ADVICE: its "fail" case.
      const failing = ALL_RULES.find((r) => r.id === id)?.severity === "info" ? "ADVICE" : "FAIL";
      expect(
        table.invalid.some((c) => c.expect === failing),
        `${id} has facts that give ${failing}`,
      ).toBe(true);
      expect(
        table.invalid.some((c) => c.expect === "ERROR" || c.expect === "SKIPPED"),
        `${id} has an unreadable or not-applicable case`,
      ).toBe(true);
    }
  });

  it("every rule is documented in its file and has its page in docs/rules/", () => {
    for (const r of ALL_RULES) {
      expect(r.title.length, r.id).toBeGreaterThan(10);
      expect(r.rationale.length, r.id).toBeGreaterThan(40);
      expect(r.remediation.terraform.length, r.id).toBeGreaterThan(10);
      expect(r.remediation.console.length, r.id).toBeGreaterThan(10);
      expect(r.docs.length, r.id).toBeGreaterThan(20);
      expect(ruleIndex, `the rule index lists ${r.id}`).toContain(`[\`${r.id}\`](${r.id}.md)`);
      expect(rulePage(r.id), `docs/rules/${r.id}.md`).toContain(r.rationale);
    }
  });

  it("one rule per file: every rule file under src/checks/*/rules/ declares exactly one id", () => {
    const root = new URL("../../src/checks/", import.meta.url);
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter(
      (f) => /\/rules\//.test(f) && f.endsWith(".ts") && !/(index|helpers|attribute)\.ts$/.test(f),
    );
    const declared = files.flatMap((f) => {
      const ids = [...readFileSync(new URL(f, root), "utf8").matchAll(/^\s+id: "([a-z0-9.-]+)",$/gm)].map((m) => m[1]!);
      expect(ids, f).toHaveLength(1);
      return ids;
    });
    expect(declared.sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
  });

  it("the rule pages, the index and the permission table are generated from the registry (run `npm run build && npm run docs:rules`)", () => {
    expect(ruleIndex).toContain(renderRuleDocs());
    expect(readFileSync(new URL("../../docs/ci.md", import.meta.url), "utf8")).toContain(renderPermissionDocs());
    const pages = ruleDocFiles();
    for (const [name, text] of pages) expect(rulePage(name.replace(/\.md$/, "")), name).toBe(text);
    const onDisk = readdirSync(new URL("../../docs/rules/", import.meta.url)).filter((n) => n !== "README.md");
    expect(onDisk.sort()).toEqual([...pages.keys()].sort());
  });

  it("a rule that throws is an ERROR, reported apart from FAIL", () => {
    const broken = {
      ...ALL_RULES[0]!,
      id: "test.broken",
      evaluate: () => {
        throw new TypeError("boom");
      },
    };
    const [r] = evaluate([broken], healthyFacts());
    expect(r).toMatchObject({ status: "ERROR", message: "the rule failed: boom" });
  });

  it("a suppression with a reason turns a FAIL into SKIPPED and keeps the reason", () => {
    const facts = healthyFacts({
      ...base,
      suppressions: [{ rule: "trail.global-events", reason: "IAM events are recorded by the org trail" }],
    });
    trail(facts).includeGlobalServiceEvents = false;
    const [r] = evaluate(
      ALL_RULES.filter((x) => x.id === "trail.global-events"),
      facts,
    );
    expect(r).toMatchObject({
      status: "SKIPPED",
      suppression: { reason: "IAM events are recorded by the org trail", originalStatus: "FAIL" },
    });
  });
});
