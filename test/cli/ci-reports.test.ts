/**
 * What a CI job reads from `verify`: SARIF that code scanning accepts (schema-valid, every result
 * at the Terraform resource's line), GitLab Code Quality, rule selection, the severity threshold,
 * --quiet and --debug. Spawned CLI on a synthesized stack, as a pipeline runs it.
 */

import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { base } from "../helpers/configs.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";

const STACK = "cdktf.out/stacks/cloudsmith-log-export/cdk.tf.json";
let dir: string;

interface SarifResult {
  ruleId: string;
  level: string;
  properties: { status: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
  relatedLocations?: Array<{
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
  }>;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-ci-"));
  await writeFile(join(dir, "cloudsmith-log-export.json"), JSON.stringify(base, null, 2));
  const synth = await runCli(["synth"], { cwd: dir });
  expect(synth.code, synth.stderr).toBe(0);
  // A drift a reviewer should see: log file validation turned off on the trail (high severity).
  const stack = JSON.parse(await readFile(join(dir, STACK), "utf8"));
  for (const trail of Object.values(stack.resource.aws_cloudtrail) as Array<Record<string, unknown>>)
    trail.enable_log_file_validation = false;
  await writeFile(join(dir, "drifted.tf.json"), JSON.stringify(stack, null, 2));
});

describe("SARIF for code scanning, on a static run", () => {
  it("is schema-valid, categorised as static, points at the config field, the resource's line related", async () => {
    const r = await runCli(["verify", "--static", "drifted.tf.json", "--output", "sarif"], { cwd: dir });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const run = sarif.runs[0];
    expect(run.automationDetails.id).toBe("cloudsmith-log-export/static/cloudsmith-log-export.json/");
    const lines = (await readFile(join(dir, "drifted.tf.json"), "utf8")).split("\n");
    const failing = run.results.find((x: SarifResult) => x.ruleId === "trail.log-validation") as SarifResult;
    expect(failing).toMatchObject({ level: "error", properties: { status: "FAIL" } });
    // Where a person fixes it: the config, in the repository (it leaves `cloudtrail` to its
    // defaults, so its first line, where the field would be added).
    const primary = failing.locations[0]!.physicalLocation;
    expect(primary.artifactLocation.uri).toBe("cloudsmith-log-export.json");
    expect(primary.region.startLine).toBe(1);
    // The generated Terraform's line, related.
    const at = failing.relatedLocations![0]!.physicalLocation;
    expect(at.artifactLocation.uri).toBe("drifted.tf.json");
    // The line is the trail's own block, inside the aws_cloudtrail type.
    expect(lines[at.region.startLine - 1]).toMatch(/^\s+"cloudtrail_trail[A-Za-z0-9_]*": \{$/);
    expect(
      lines
        .slice(0, at.region.startLine - 1)
        .reverse()
        .find((l) => /^ {4}"aws_/.test(l)),
    ).toMatch(/"aws_cloudtrail"/);
    // Advice raises no alert on code scanning.
    expect(run.results.find((x: SarifResult) => x.ruleId === "trail.kms")).toBeUndefined();
  });

  it("a live run of the same config is another category, so neither upload replaces the other", async () => {
    const r = await runCli(["verify", "--static", "--output", "sarif"], { cwd: dir });
    const staticId = JSON.parse(r.stdout).runs[0].automationDetails.id;
    // Live: no AWS here, so every read is an ERROR; the report is still valid SARIF at the config's lines.
    const live = await runCli(
      ["verify", "--output", "sarif", "--endpoint-url", "http://127.0.0.1:9", "--aws-timeout", "1"],
      { cwd: dir, env: { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y", AWS_MAX_ATTEMPTS: "1" } },
    );
    const sarif = JSON.parse(live.stdout);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].automationDetails.id).toBe("cloudsmith-log-export/live/cloudsmith-log-export.json/");
    expect(sarif.runs[0].automationDetails.id).not.toBe(staticId);
    const configLines = (await readFile(join(dir, "cloudsmith-log-export.json"), "utf8")).split("\n");
    const bucket = (sarif.runs[0].results as SarifResult[]).find((x) => x.ruleId === "bucket.exists")!;
    const at = bucket.locations[0]!.physicalLocation;
    expect(at.artifactLocation.uri).toBe("cloudsmith-log-export.json");
    expect(configLines[at.region.startLine - 1]).toMatch(/"bucket":/);
  }, 60_000);
});

/** GitLab's documented Code Quality format (test/fixtures/gitlab-code-quality.schema.json), plus unique fingerprints. */
async function codeQualityProblems(report: unknown): Promise<string[]> {
  const { Ajv } = await import("ajv");
  const schema = JSON.parse(
    await readFile(new URL("../fixtures/gitlab-code-quality.schema.json", import.meta.url), "utf8"),
  );
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const problems = validate(report)
    ? []
    : (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`);
  const fps = Array.isArray(report) ? report.map((i: { fingerprint?: string }) => i.fingerprint) : [];
  if (new Set(fps).size !== fps.length) problems.push("fingerprints are not unique");
  return problems;
}

describe("GitLab Code Quality", () => {
  it("the judge can fail: an absolute path, an unknown severity or a repeated fingerprint is refused", async () => {
    const issue = {
      description: "d",
      check_name: "c",
      fingerprint: "f",
      severity: "major",
      location: { path: "a.json", lines: { begin: 1 } },
    };
    expect(await codeQualityProblems([issue])).toEqual([]);
    expect(
      await codeQualityProblems([{ ...issue, location: { path: "/abs/a.json", lines: { begin: 1 } } }]),
    ).not.toEqual([]);
    expect(await codeQualityProblems([{ ...issue, severity: "high" }])).not.toEqual([]);
    expect(await codeQualityProblems([issue, issue])).toEqual(["fingerprints are not unique"]);
  });

  it("lists FAIL, ERROR and ADVICE with a stable fingerprint and the resource's line", async () => {
    const r = await runCli(["verify", "--static", "drifted.tf.json", "--output", "codequality"], { cwd: dir });
    expect(r.code).toBe(1);
    const issues = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(await codeQualityProblems(issues)).toEqual([]);
    const validation = issues.find((i) => i.check_name === "trail.log-validation");
    expect(validation).toMatchObject({
      type: "issue",
      severity: "major",
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      location: { path: "cloudsmith-log-export.json", lines: { begin: expect.any(Number) } },
    });
    expect(issues.find((i) => i.check_name === "trail.kms")).toMatchObject({ severity: "info" });
    expect(issues.some((i) => i.check_name === "role.exists")).toBe(false);
    const again = JSON.parse(
      (await runCli(["verify", "--static", "drifted.tf.json", "--output", "codequality"], { cwd: dir })).stdout,
    );
    expect(again.map((i: { fingerprint: string }) => i.fingerprint)).toEqual(issues.map((i) => i.fingerprint));
  });
});

describe("selection, threshold and verbosity", () => {
  it("--rule runs only the named rules and areas; --skip-rule removes some", async () => {
    const only = await runCli(
      ["verify", "--static", "drifted.tf.json", "--output", "json", "--rule", "trust", "--rule", "trail.logging"],
      { cwd: dir },
    );
    const ids = JSON.parse(only.stdout).results.map((r: { ruleId: string }) => r.ruleId);
    expect(new Set(ids)).toEqual(
      new Set([
        "trust.actions",
        "trust.cloudsmith-can-assume",
        "trust.external-id",
        "trust.principal",
        "trail.logging",
      ]),
    );
    expect(only.code).toBe(0);
    const skipped = await runCli(
      ["verify", "--static", "drifted.tf.json", "--output", "json", "--skip-rule", "trail.log-validation,analyzer.*"],
      { cwd: dir },
    );
    const rest = JSON.parse(skipped.stdout).results.map((r: { ruleId: string }) => r.ruleId);
    expect(rest).not.toContain("trail.log-validation");
    expect(rest.some((id: string) => id.startsWith("analyzer."))).toBe(false);
    expect(rest).toContain("trust.external-id");
    expect(skipped.code).toBe(0);
  });

  it("a selector that matches nothing, or a rule whose checks are off, is a usage error", async () => {
    const unknown = await runCli(["verify", "--static", "--rule", "trust.extrnal-id"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--rule "trust.extrnal-id": no rule or area has that name/);
    const off = await runCli(["verify", "--static", "--rule", "delivery.cadence"], { cwd: dir });
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/delivery.cadence: the rule belongs to the delivery checks, which run with --delivery/);
    const none = await runCli(["verify", "--static", "--rule", "trust", "--skip-rule", "trust"], { cwd: dir });
    expect(none.code).toBe(2);
  });

  it("--severity-threshold: a FAIL below it is reported and the run passes", async () => {
    const strict = await runCli(["verify", "--static", "drifted.tf.json"], { cwd: dir });
    expect(strict.code).toBe(1);
    const lenient = await runCli(["verify", "--static", "drifted.tf.json", "--severity-threshold", "critical"], {
      cwd: dir,
    });
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/FAIL\s+trail.log-validation/);
    expect(lenient.stdout).toMatch(/1 failed \(1 below --severity-threshold, not failing the run\)/);
    const json = JSON.parse(
      (
        await runCli(
          ["verify", "--static", "drifted.tf.json", "--severity-threshold", "critical", "--output", "json"],
          { cwd: dir },
        )
      ).stdout,
    );
    expect(json).toMatchObject({ exitCode: 0, summary: { FAIL: 1, belowThreshold: 1 } });
  });

  it("--quiet prints only what needs attention; --debug times each step on stderr", async () => {
    const quiet = await runCli(["verify", "--static", "drifted.tf.json", "--quiet"], { cwd: dir });
    expect(quiet.stdout).toMatch(/FAIL\s+trail.log-validation/);
    expect(quiet.stdout).not.toMatch(/PASS |SKIPPED|ADVICE /);
    expect(quiet.stdout).toMatch(/\d+ passed, 1 failed/);
    const debug = await runCli(["--debug", "verify", "--static", "drifted.tf.json"], { cwd: dir });
    expect(debug.stderr).toMatch(/^debug +\d+\.\d{3}s collected the deployment facts in \d+ ms$/m);
    // The report itself is unchanged: debug lines go to stderr only.
    expect(debug.stdout).toMatch(/PASS\s+trust.external-id/);
    expect(debug.stdout).not.toMatch(/^debug /m);
  });
});

describe("--report: several formats from one run", () => {
  it("writes each format to its file and the text report to stdout", async () => {
    const r = await runCli(
      [
        "verify",
        "--static",
        "drifted.tf.json",
        "--report",
        "sarif=out/verify.sarif",
        "--report",
        "junit=out/verify.xml",
        "--report",
        "codequality=out/gl-code-quality.json",
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+trail.log-validation/);
    expect(sarifSchemaErrors(JSON.parse(await readFile(join(dir, "out/verify.sarif"), "utf8")))).toEqual([]);
    expect(await readFile(join(dir, "out/verify.xml"), "utf8")).toMatch(
      /<testsuite name="cloudsmith-log-export.verify"/,
    );
    expect(JSON.parse(await readFile(join(dir, "out/gl-code-quality.json"), "utf8"))[0]).toHaveProperty("fingerprint");
  });

  it("refuses an unknown format or a file named twice (exit 2)", async () => {
    const bad = await runCli(["verify", "--static", "--report", "html=x.html"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--report "html=x.html": FORMAT=FILE, with FORMAT one of text, json, junit, sarif/);
    const twice = await runCli(["verify", "--static", "--report", "sarif=x", "--report", "junit=x"], { cwd: dir });
    expect(twice.code).toBe(2);
  });
});

describe("--suppress for one run", () => {
  it("suppresses with a reason, as a config suppression would; refuses a short reason or an unknown rule", async () => {
    const r = await runCli(
      [
        "verify",
        "--static",
        "drifted.tf.json",
        "--output",
        "json",
        "--suppress",
        "trail.log-validation=the organization trail validates log files for this account",
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout).results.find((x: { ruleId: string }) => x.ruleId === "trail.log-validation");
    expect(result).toMatchObject({
      status: "SKIPPED",
      suppression: { reason: "the organization trail validates log files for this account", originalStatus: "FAIL" },
    });
    const short = await runCli(["verify", "--static", "drifted.tf.json", "--suppress", "trail.log-validation=ok"], {
      cwd: dir,
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(
      /--suppress trail.log-validation: a suppression needs a reason of at least 10 characters/,
    );
    const unknown = await runCli(["verify", "--static", "--suppress", "trail.nope=a perfectly good reason"], {
      cwd: dir,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--suppress trail.nope: no rule has that id/);
  });
});

describe("verify --print-iam-policy", () => {
  it("prints JSON policy on stdout and what it assumed on stderr; --static needs none", async () => {
    const existing = await runCli(
      [
        "verify",
        "--example",
        "--print-iam-policy",
        "--integrity",
        "--assume-role-arn",
        "arn:aws:iam::{accountId}:role/CloudsmithLogExportAuditor",
      ],
      { cwd: dir },
    );
    expect(existing.code).toBe(0);
    const policy = JSON.parse(existing.stdout);
    expect(policy.Version).toBe("2012-10-17");
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toContain("CloudTrailPublicKeys");
    expect(existing.stderr).toMatch(
      /note: this is the policy of arn:aws:iam::\{accountId\}:role\/CloudsmithLogExportAuditor in each account; the identity running verify needs sts:AssumeRole on it/,
    );
    const refused = await runCli(["verify", "--static", "--print-iam-policy"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--static reads files only: it needs no AWS permission/);
  });

  it("an existing (organization) trail's bucket is unknown until GetTrail: the policy says * and the note says why", async () => {
    await writeFile(
      join(dir, "org.json"),
      JSON.stringify({
        ...base,
        cloudtrail: {
          mode: "existing",
          trailArn: "arn:aws:cloudtrail:us-east-1:999988887777:trail/aws-controltower-BaselineCloudTrail",
        },
      }),
    );
    const r = await runCli(["verify", "-c", "org.json", "--print-iam-policy", "--delivery"], { cwd: dir });
    expect(r.code).toBe(0);
    const statements = JSON.parse(r.stdout).Statement as Array<{ Sid: string; Resource: string | string[] }>;
    expect(statements.find((s) => s.Sid === "ReadTrailFiles")?.Resource).toBe("arn:aws:s3:::*/*AWSLogs/*");
    expect(statements.find((s) => s.Sid === "ReadTheTrail")?.Resource).toBe(
      "arn:aws:cloudtrail:us-east-1:999988887777:trail/aws-controltower-BaselineCloudTrail",
    );
    expect(r.stderr).toMatch(/an existing trail's bucket is read from GetTrail at run time/);
  });
});
