/** Report formats CI tools read: JSON (stable schema), JUnit counts, SARIF 2.1.0 structure. */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ALL_RULES, GROUPS } from "../../src/checks/index.js";
import { exitCodeFor, type Result } from "../../src/engine/evaluate.js";
import { renderReports } from "../../src/engine/report/index.js";
import { renderText } from "../../src/engine/report/text.js";
import { styler } from "../../src/util/style.js";
import { CATALOG } from "../../src/verify/run-many.js";
import { codeScanningProblems } from "../helpers/code-scanning.js";
import { mixedResults } from "../helpers/mixed-results.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";

const oneReport = (results: Result[]) => [
  { source: "AWS", kind: "live" as const, config: "cloudsmith-log-export.json", exitCode: 1, results },
];

describe("reports", () => {
  it("text: what AWS or a config holds is shown escaped, so no line can be redrawn", async () => {
    const results = await mixedResults();
    results[0] = {
      ...results[0]!,
      message: "deleted\r\u001b[2K  PASS  trust.external-id\u202e",
      resource: "s3://b\u0085",
    };
    const text = renderReports(oneReport(results), "text", CATALOG, { colour: false, width: 1000 });
    expect(text).toContain("deleted\\x0d\\x1b[2K  PASS  trust.external-id\\u202e");
    expect(text).toContain("s3://b\\x85");
    expect(text).not.toMatch(/[\r\u001b\u0085\u202e]/);
  });

  it("JSON: versioned, with a summary, remediation and suppression details", async () => {
    const report = JSON.parse(renderReports(oneReport(await mixedResults()), "json", CATALOG));
    expect(report).toMatchObject({
      reportVersion: 2,
      tool: { name: "cloudsmith-log-export" },
      source: "AWS",
      exitCode: 1,
    });
    // A recommendation that is not met is ADVICE, never counted as a FAIL.
    expect(report.summary).toMatchObject({ FAIL: 1, ADVICE: 1, ERROR: 1, belowThreshold: 0 });
    expect(report.results.find((r: Result) => r.ruleId === "trail.kms")).toMatchObject({
      status: "ADVICE",
      severity: "info",
    });
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

  it("JUnit: one suite with the counts; recommendations are not failures; the area is the classname", async () => {
    const results = await mixedResults();
    const xml = renderReports(oneReport(results), "junit", CATALOG);
    expect(xml).toMatch(
      new RegExp(
        `<testsuite name="cloudsmith-log-export.verify" tests="${results.length}" failures="1" errors="1" skipped="\\d+" time="\\d+\\.\\d{3}">`,
      ),
    );
    expect(xml).not.toContain("<testsuites");
    expect(xml).toContain('<failure type="high" message="Payer is Requester">');
    expect(xml).toContain('<error type="unreadable" message="could not read the trail status: AccessDenied">');
    expect(xml).toContain(
      '<skipped message="ADVICE (recommendation): trail files use SSE-S3; consider cloudtrail.kmsKeyArn"/>',
    );
    // A result with no resource is named by its rule alone, never "rule -".
    expect(xml).toMatch(
      /<testcase name="trail.logging" classname="cloudsmith-log-export.verify.trail" time="\d+\.\d{3}">/,
    );
    expect(xml).not.toMatch(/name="[^"]* -"/);
  });

  it("SARIF 2.1.0: valid against the schema; rules with help and a link; results with a location and a fingerprint", async () => {
    const sarif = JSON.parse(renderReports(oneReport(await mixedResults()), "sarif", CATALOG));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    // Every rule the tool has, so results from --delivery and --integrity resolve too.
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(ALL_RULES.map((r) => r.id));
    const external = run.tool.driver.rules.find((r: { id: string }) => r.id === "trust.external-id");
    expect(external.properties["security-severity"]).toBe("9.5");
    expect(external.help.markdown).toContain("**Fix (Terraform):**");
    // The rule's own page, at this version, and the page is in the repository.
    expect(external.helpUri).toMatch(/^https:\/\/.+\/blob\/v\d+\.\d+\.\d+\/docs\/rules\/trust\.external-id\.md$/);
    expect(existsSync(new URL(`../../${external.helpUri.replace(/^.*\/blob\/v[^/]+\//, "")}`, import.meta.url))).toBe(
      true,
    );
    expect(run.automationDetails.id).toBe("cloudsmith-log-export/live/cloudsmith-log-export.json/");
    const payer = run.results.find((r: { ruleId: string }) => r.ruleId === "bucket.requester-pays");
    expect(payer).toMatchObject({
      level: "error",
      kind: "fail",
      ruleIndex: ALL_RULES.findIndex((r) => r.id === "bucket.requester-pays"),
      message: { text: "Payer is Requester" },
      partialFingerprints: { "ruleResource/v1": expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    // An ERROR is a visible failure (kind review would have to carry level "none").
    expect(run.results.find((r: { ruleId: string }) => r.ruleId === "trail.logging")).toMatchObject({
      level: "error",
      kind: "fail",
      message: { text: expect.stringMatching(/^ERROR: /) },
      properties: { status: "ERROR" },
    });
    // Advice raises no alert by default; asked for, it is a note, never a failure.
    expect(run.results.find((r: { ruleId: string }) => r.ruleId === "trail.kms")).toBeUndefined();
    const asked = JSON.parse(renderReports(oneReport(await mixedResults()), "sarif", CATALOG, { adviceAsAlerts: true }))
      .runs[0];
    expect(asked.results.find((r: { ruleId: string }) => r.ruleId === "trail.kms")).toMatchObject({
      level: "note",
      properties: { status: "ADVICE" },
    });
    expect(run.results.find((r: { ruleId: string }) => r.ruleId === "trail.global-events").suppressions).toEqual([
      { kind: "external", status: "accepted", justification: "recorded by the organization trail" },
    ]);
    expect(run.results.some((r: { ruleId: string }) => r.ruleId === "role.exists")).toBe(false);
    for (const r of run.results) {
      expect(r.locations).toHaveLength(1);
      expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
    }
  });

  it("the SARIF schema check itself catches a bad level and a line 0 (it is not a check that cannot fail)", () => {
    const bad = {
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: "x" } },
          results: [
            {
              message: { text: "m" },
              level: "bogus",
              locations: [{ physicalLocation: { artifactLocation: { uri: "a" }, region: { startLine: 0 } } }],
            },
          ],
        },
      ],
    };
    const errors = sarifSchemaErrors(bad).join("\n");
    expect(errors).toMatch(/level must be equal to one of the allowed values/);
    expect(errors).toMatch(/startLine must be >= 1/);
  });

  it("SARIF fingerprints follow the rule and the resource, not the message or the order", async () => {
    const results = await mixedResults();
    const first = JSON.parse(renderReports(oneReport(results), "sarif", CATALOG)).runs[0].results;
    const changed = results.map((r) => ({ ...r, message: `${r.message} (re-worded)` })).reverse();
    const second = JSON.parse(renderReports(oneReport(changed), "sarif", CATALOG)).runs[0].results;
    const byRule = (rs: Array<{ ruleId: string; partialFingerprints: object }>) =>
      Object.fromEntries(rs.map((r) => [r.ruleId, r.partialFingerprints]));
    expect(byRule(second)).toEqual(byRule(first));
    const other = results.map((r) => ({ ...r, resource: `${r.resource}-other` }));
    const third = JSON.parse(renderReports(oneReport(other), "sarif", CATALOG)).runs[0].results;
    expect(third[0].partialFingerprints).not.toEqual(first[0].partialFingerprints);
  });

  it("--severity-threshold: FAILs below it are reported and do not fail the run", async () => {
    const results = await mixedResults();
    const fails = results.filter((r) => r.status === "FAIL");
    expect(fails.map((r) => r.severity)).toEqual(["high"]);
    expect(exitCodeFor(fails, { severityThreshold: "high" })).toBe(1);
    expect(exitCodeFor(fails, { severityThreshold: "critical" })).toBe(0);
    const text = renderText(fails, styler(false), "verify", GROUPS, { policy: { severityThreshold: "critical" } });
    expect(text).toMatch(/0 passed, 1 failed \(1 below --severity-threshold, not failing the run\)/);
    // ADVICE never fails, whatever the threshold.
    expect(exitCodeFor(results.filter((r) => r.status === "ADVICE"))).toBe(0);
  });

  it("--quiet: only FAIL and ERROR lines, with the full summary", async () => {
    const results = await mixedResults();
    const text = renderText(results, styler(false), "verify", GROUPS, { quiet: true });
    expect(text).not.toMatch(/\bPASS\b|SKIPPED|ADVICE /);
    expect(text).toMatch(/FAIL\s+bucket.requester-pays/);
    expect(text).toMatch(/ERROR\s+trail.logging/);
    expect(text).toMatch(/\d+ passed, 1 failed, 1 error, \d+ skipped, 1 recommendation\n$/);
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
      { source: "AWS", kind: "live" as const, config: "accounts/a.json", exitCode: 0, results: ok },
      { source: "AWS", kind: "live" as const, config: "accounts/b.json", exitCode: 1, results },
    ];
    const json = JSON.parse(renderReports(reports, "json", CATALOG));
    expect(json).toMatchObject({
      reportVersion: 2,
      exitCode: 1,
      configs: [
        { config: "accounts/a.json", exitCode: 0 },
        { config: "accounts/b.json", exitCode: 1 },
      ],
    });
    expect(json.summary.PASS).toBe(ok.length * 2);
    expect(renderReports(reports, "junit", CATALOG)).toContain(
      '<testcase name="[accounts/b.json] bucket.exists s3://cloudsmith-acme-logs" classname="cloudsmith-log-export.verify.bucket"',
    );
    const sarif = JSON.parse(renderReports(reports, "sarif", CATALOG));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    // One run whatever the number of configs (code scanning takes at most 20 runs in a file);
    // each result names its config, and is located in it.
    expect(codeScanningProblems(sarif)).toEqual([]);
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].automationDetails.id).toBe("cloudsmith-log-export/live/");
    const fromB = sarif.runs[0].results.filter(
      (r: { properties: { config: string } }) => r.properties.config === "accounts/b.json",
    );
    expect(fromB.length).toBeGreaterThan(0);
    expect(fromB[0].locations[0].physicalLocation.artifactLocation).toMatchObject({
      uri: "accounts/b.json",
      uriBaseId: "%SRCROOT%",
    });
    expect(renderReports(reports, "text", CATALOG)).toMatch(/2 configs: 1 passed, 1 failed/);
  });

  it("25 configs: still one SARIF run, within code scanning's 20 runs a file", async () => {
    const results = await mixedResults();
    const reports = Array.from({ length: 25 }, (_, i) => ({
      source: "AWS",
      kind: "live" as const,
      config: `accounts/${i}.json`,
      exitCode: 1,
      results,
    }));
    const sarif = JSON.parse(renderReports(reports, "sarif", CATALOG));
    expect(sarif.runs).toHaveLength(1);
    expect(codeScanningProblems(sarif)).toEqual([]);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    // Fingerprints tell the same rule and resource of two configs apart.
    const fps = sarif.runs[0].results.map(
      (r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints["ruleResource/v1"],
    );
    expect(new Set(fps).size).toBe(fps.length);
  });
});
