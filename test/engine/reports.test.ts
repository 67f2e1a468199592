/** Report formats CI tools read: JSON (stable schema), JUnit counts, SARIF 2.1.0 structure. */
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/checks/config/rules/index.js";
import { ALL_RULES, GROUPS } from "../../src/checks/index.js";
import { evaluate, type Result } from "../../src/engine/evaluate.js";
import { failed, present } from "../../src/engine/fact.js";
import { renderReports } from "../../src/engine/report/index.js";
import { renderText } from "../../src/engine/report/text.js";
import { loadActionCatalog } from "../../src/iam/action-catalog.js";
import { styler } from "../../src/util/style.js";
import { CATALOG } from "../../src/verify/run-many.js";
import { base } from "../helpers/configs.js";
import { healthyFacts, presentValue } from "../helpers/facts.js";

async function mixedResults(): Promise<Result[]> {
  await loadActionCatalog(["s3:*"]);
  const facts = healthyFacts({
    ...base,
    suppressions: [{ rule: "trail.global-events", reason: "recorded by the organization trail" }],
  });
  facts.exportBucket.requestPayer = present("Requester"); // FAIL
  facts.trailStatus = failed("AccessDenied"); // ERROR
  presentValue(facts.trail).includeGlobalServiceEvents = false; // suppressed
  delete presentValue(facts.trail).kmsKeyId; // advice
  return evaluate(RULES, facts);
}
const oneReport = (results: Result[]) => [
  { source: "AWS", config: "cloudsmith-log-export.json", exitCode: 1, results },
];

describe("reports", () => {
  it("text: what AWS or a config holds is shown escaped, so no line can be redrawn", async () => {
    const results = await mixedResults();
    results[0] = {
      ...results[0]!,
      message: "deleted\r\u001b[2K  PASS  trust.external-id\u202e",
      resource: "s3://b\u0085",
    };
    const text = renderReports(oneReport(results), "text", CATALOG, { colour: false });
    expect(text).toContain("deleted\\x0d\\x1b[2K  PASS  trust.external-id\\u202e");
    expect(text).toContain("s3://b\\x85");
    expect(text).not.toMatch(/[\r\u001b\u0085\u202e]/);
  });

  it("JSON: versioned, with a summary, remediation and suppression details", async () => {
    const report = JSON.parse(renderReports(oneReport(await mixedResults()), "json", CATALOG));
    expect(report).toMatchObject({
      reportVersion: 1,
      tool: { name: "cloudsmith-log-export" },
      source: "AWS",
      exitCode: 1,
    });
    expect(report.summary).toMatchObject({ FAIL: 2, ERROR: 1, recommendations: 1 });
    const payer = report.results.find((r: Result) => r.ruleId === "bucket.requester-pays");
    expect(payer).toMatchObject({
      status: "FAIL",
      severity: "high",
      resource: "s3://cloudsmith-acme-logs",
      remediation: { terraform: expect.any(String), console: expect.any(String) },
    });
    expect(report.results.find((r: Result) => r.ruleId === "trail.global-events")).toMatchObject({
      status: "SKIPPED",
      suppression: { reason: "recorded by the organization trail", originalStatus: "FAIL" },
    });
  });

  it("JUnit: counts per suite and in total; recommendations are not failures", async () => {
    const results = await mixedResults();
    const xml = renderReports(oneReport(results), "junit", CATALOG);
    expect(xml).toMatch(
      new RegExp(
        `<testsuites name="cloudsmith-log-export.verify" tests="${results.length}" failures="1" errors="1" skipped="\\d+">`,
      ),
    );
    expect(xml).toMatch(
      /<testsuite name="cloudsmith-log-export.verify.bucket" tests="8" failures="1" errors="0" skipped="0">/,
    );
    expect(xml).toContain('<failure type="high" message="Payer is Requester">');
    expect(xml).toContain('<error type="unreadable" message="could not read the trail status: AccessDenied">');
    expect(xml).toContain(
      "<system-out>recommendation: trail files use SSE-S3; consider cloudtrail.kmsKeyArn</system-out>",
    );
    // A result with no resource is named by its rule alone, never "rule -".
    expect(xml).toContain('<testcase classname="cloudsmith-log-export.verify.trail" name="trail.logging">');
    expect(xml).not.toMatch(/name="[^"]* -"/);
  });

  it("SARIF 2.1.0: one rule per id with security-severity; suppressed results keep their justification", async () => {
    const sarif = JSON.parse(renderReports(oneReport(await mixedResults()), "sarif", CATALOG));
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    // Every rule the tool has, so results from --delivery and --integrity resolve too.
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(ALL_RULES.map((r) => r.id));
    expect(
      run.tool.driver.rules.find((r: { id: string }) => r.id === "trust.external-id").properties["security-severity"],
    ).toBe("9.5");
    const payer = run.results.find((r: { ruleId: string }) => r.ruleId === "bucket.requester-pays");
    expect(payer).toMatchObject({
      level: "error",
      ruleIndex: ALL_RULES.findIndex((r) => r.id === "bucket.requester-pays"),
      message: { text: "FAIL: Payer is Requester" },
    });
    expect(run.results.find((r: { ruleId: string }) => r.ruleId === "trail.logging")).toMatchObject({
      level: "error",
      kind: "review",
    });
    expect(run.results.find((r: { ruleId: string }) => r.ruleId === "trail.global-events").suppressions).toEqual([
      { kind: "external", justification: "recorded by the organization trail" },
    ]);
    expect(run.results.some((r: { ruleId: string }) => r.ruleId === "role.exists")).toBe(false);
  });

  it("text: grouped, with a summary line, no colour unless asked", async () => {
    const results = await mixedResults();
    const plain = renderText(results, styler(false), "verify", GROUPS);
    expect(plain).toMatch(
      /\nBucket\n(.*\n)*?\s+FAIL\s+bucket.requester-pays\s+s3:\/\/cloudsmith-acme-logs\s+Payer is Requester/,
    );
    expect(plain).toMatch(/ADVICE\s+trail.kms/);
    expect(plain).toMatch(/\d+ passed, 1 failed, 1 error, \d+ skipped, 1 recommendation\n$/);
    expect(plain).not.toMatch(/\u001b\[/);
    expect(renderText(results, styler(true), "verify", GROUPS)).toMatch(/\u001b\[31mFAIL/);
  });
});

describe("several configs in one report", () => {
  it("JSON groups per config with the worst exit code; JUnit and SARIF name each config", async () => {
    const results = await mixedResults();
    const ok = results.filter((r) => r.status === "PASS");
    const reports = [
      { source: "AWS", config: "accounts/a.json", exitCode: 0, results: ok },
      { source: "AWS", config: "accounts/b.json", exitCode: 1, results },
    ];
    const json = JSON.parse(renderReports(reports, "json", CATALOG));
    expect(json).toMatchObject({
      reportVersion: 1,
      exitCode: 1,
      configs: [
        { config: "accounts/a.json", exitCode: 0 },
        { config: "accounts/b.json", exitCode: 1 },
      ],
    });
    expect(json.summary.PASS).toBe(ok.length * 2);
    expect(renderReports(reports, "junit", CATALOG)).toContain(
      '<testsuite name="cloudsmith-log-export.verify.accounts/b.json:bucket"',
    );
    const sarif = JSON.parse(renderReports(reports, "sarif", CATALOG));
    expect(sarif.runs).toHaveLength(2);
    expect(sarif.runs[1].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("accounts/b.json");
    expect(renderReports(reports, "text", CATALOG)).toMatch(/2 configs: 1 passed, 1 failed/);
  });
});
