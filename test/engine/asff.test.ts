/**
 * Security Hub findings (ASFF) from a run: the mapping of each status, ids that stay the same
 * across runs (the fingerprint SARIF uses, keyed by account and region), and the fields Security
 * Hub requires. The emulator round trip, through botocore's own model of BatchImportFindings
 * (the AWS CLI validates the request before sending it), is in
 * test/terraform/query-layer.integration.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { Result } from "../../src/engine/evaluate.js";
import { asffFindings } from "../../src/engine/report/asff.js";
import { CATALOG } from "../../src/verify/run-many.js";
import { mixedResults } from "../helpers/mixed-results.js";

const report = (results: Result[], account = "123456789012") => ({
  config: "cloudsmith-log-export.json",
  account,
  region: "us-east-1",
  results,
});
const meta = (iso: string) => ({ now: new Date(iso), ruleUrl: (id: string) => `https://example.com/rules/${id}.md` });

describe("ASFF findings", () => {
  it("maps each status: PASS PASSED, FAIL FAILED, ERROR NOT_AVAILABLE, ADVICE WARNING, suppressed SUPPRESSED; SKIPPED is no finding", async () => {
    const results = await mixedResults();
    const findings = asffFindings([report(results)], CATALOG.rules, meta("2026-12-02T10:00:00Z"));
    const by = (ruleId: string) => findings.filter((f) => f.GeneratorId === `cloudsmith-log-export/${ruleId}`);
    expect(by("bucket.requester-pays").map((f) => f.Compliance.Status)).toEqual(["FAILED"]);
    expect(by("trail.logging").map((f) => f.Compliance.Status)).toEqual(["NOT_AVAILABLE"]);
    expect(by("trail.kms").map((f) => f.Compliance.Status)).toEqual(["WARNING"]);
    const suppressed = by("trail.global-events")[0]!;
    expect(suppressed.Compliance.Status).toBe("FAILED");
    expect(suppressed.Workflow).toEqual({ Status: "SUPPRESSED" });
    expect(suppressed.Note?.Text).toBe("recorded by the organization trail");
    const passed = findings.filter((f) => f.Compliance.Status === "PASSED");
    expect(passed.length).toBeGreaterThan(5);
    for (const f of passed) expect(f.Severity.Label).toBe("INFORMATIONAL");
    const skipped = results.filter((r) => r.status === "SKIPPED" && !r.suppression);
    expect(skipped.length).toBeGreaterThan(0);
    expect(findings).toHaveLength(results.length - skipped.length);
    // Every finding has what BatchImportFindings requires, within its limits.
    for (const f of findings) {
      expect(f).toMatchObject({
        SchemaVersion: "2018-10-08",
        ProductArn: "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default",
        AwsAccountId: "123456789012",
        CreatedAt: "2026-12-02T10:00:00.000Z",
      });
      expect(f.Title.length).toBeLessThanOrEqual(256);
      expect(f.Description.length).toBeLessThanOrEqual(1024);
      expect(f.Resources).toHaveLength(1);
      expect(f.Resources[0]!.Id).not.toBe("");
    }
    expect(by("bucket.requester-pays")[0]!.Resources[0]).toEqual({
      Type: "AwsS3Bucket",
      Id: "arn:aws:s3:::cloudsmith-acme-logs",
      Partition: "aws",
      Region: "us-east-1",
    });
  });

  it("ids are the same on the next run and differ by account: Security Hub updates, never duplicates", async () => {
    const results = await mixedResults();
    const first = asffFindings([report(results)], CATALOG.rules, meta("2026-12-02T10:00:00Z"));
    const again = asffFindings([report(results)], CATALOG.rules, meta("2026-12-03T10:00:00Z"));
    expect(again.map((f) => f.Id)).toEqual(first.map((f) => f.Id));
    expect(new Set(first.map((f) => f.Id)).size).toBe(first.length);
    const other = asffFindings([report(results, "210987654321")], CATALOG.rules, meta("2026-12-02T10:00:00Z"));
    expect(other.map((f) => f.Id).filter((id) => first.some((f) => f.Id === id))).toEqual([]);
  });

  it("a report without its account cannot become findings: an error, not findings in the wrong account", async () => {
    const results = await mixedResults();
    expect(() => asffFindings([{ config: "x.json", results }], CATALOG.rules, meta("2026-12-02T10:00:00Z"))).toThrow(
      /no account and region/,
    );
  });
});
