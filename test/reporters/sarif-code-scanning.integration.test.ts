/**
 * The plan gate as CI runs it, judged by what GitHub code scanning accepts and shows on a pull
 * request: a repository with a config, `synth`, a real `terraform plan` and `show -json` (a
 * one-line file generated in the job), then `verify --static plan.json --output sarif`. Every
 * result must point at a line of a file in the repository that a person edits (here the config),
 * relative to %SRCROOT%, with its end and the line hash the upload action computes; the plan's
 * line is a related location. Checked against the SARIF schema and GitHub's documented limits.
 */
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lineHashes } from "../../src/util/line-hash.js";
import { examplePath } from "../../src/util/package-root.js";
import { runCli } from "../helpers/cli.js";
import { codeScanningProblems } from "../helpers/code-scanning.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";
import { terraform, terraformInit, writeEmulatorOverride } from "../helpers/terraform.js";

let emulator: Emulator;
let repo: string;
let sarif: {
  runs: Array<{
    automationDetails: { id: string };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Array<{
      ruleId: string;
      level: string;
      properties: { status: string };
      locations: Array<{
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number };
        };
      }>;
      relatedLocations?: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
      partialFingerprints: Record<string, string>;
    }>;
  }>;
};

beforeAll(async () => {
  emulator = await startEmulator();
  repo = await mkdtemp(join(tmpdir(), "cle-plan-gate-"));
  await promisify(execFile)("git", ["init", "-q"], { cwd: repo });
  // The bundled example, as a repository holds it: the External ID is left to a Terraform variable.
  await copyFile(examplePath(), join(repo, "cloudsmith-log-export.json"));
  const synth = await runCli(["synth", "-o", "cdktf.out"], { cwd: repo });
  expect(synth.code, synth.stderr).toBe(0);
  const stackDir = join(repo, "cdktf.out", "stacks", "cloudsmith-log-export");
  await writeEmulatorOverride(stackDir, emulator.endpoint);
  await terraformInit(stackDir);
  await terraform(stackDir, [
    "plan",
    "-input=false",
    "-out",
    "tfplan",
    "-var",
    "cloudsmith_external_id=wrong-external-id-from-ci",
  ]);
  const { stdout } = await terraform(stackDir, ["show", "-json", "tfplan"]);
  await writeFile(join(repo, "plan.json"), stdout);
  const r = await runCli(["verify", "--static", "plan.json", "--output", "sarif"], { cwd: repo });
  expect(r.stderr).not.toMatch(/internal error/);
  sarif = JSON.parse(r.stdout);
}, 240_000);
afterAll(() => emulator?.stop());

describe("SARIF from a plan gate, as code scanning takes it", () => {
  it("is valid SARIF within GitHub's limits: one run, categorised by the config", () => {
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(codeScanningProblems(sarif)).toEqual([]);
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0]!.automationDetails.id).toBe("cloudsmith-log-export/static/cloudsmith-log-export.json/");
    expect(sarif.runs[0]!.originalUriBaseIds["%SRCROOT%"]!.uri).toMatch(/^file:\/\/\/.*\/$/);
  });

  it("every result points at a line of the config, with the upload action's line hash; the plan is related", async () => {
    const results = sarif.runs[0]!.results;
    expect(results.length).toBeGreaterThan(0);
    const config = await readFile(join(repo, "cloudsmith-log-export.json"), "utf8");
    const hashes = lineHashes(config);
    const lines = config.split("\n");
    for (const r of results) {
      const { artifactLocation, region } = r.locations[0]!.physicalLocation;
      expect(artifactLocation, r.ruleId).toEqual({ uri: "cloudsmith-log-export.json", uriBaseId: "%SRCROOT%" });
      expect(region.startLine).toBeLessThanOrEqual(lines.length);
      expect(region.endLine).toBeGreaterThanOrEqual(region.startLine);
      expect(r.partialFingerprints.primaryLocationLineHash).toBe(hashes[region.startLine - 1]);
      expect(r.relatedLocations?.[0]?.physicalLocation.artifactLocation.uri).toBe("plan.json");
    }
    // The External ID rule points at the field that decides it.
    const ext = results.find((r) => r.ruleId === "trust.external-id")!;
    expect(lines[ext.locations[0]!.physicalLocation.region.startLine - 1]).toMatch(/"externalId"|"roleName"/);
  });

  it("ADVICE raises no alert unless asked", async () => {
    expect(sarif.runs[0]!.results.filter((r) => r.properties.status === "ADVICE")).toEqual([]);
    const asked = JSON.parse(
      (await runCli(["verify", "--static", "plan.json", "--output", "sarif", "--advice-as-alerts"], { cwd: repo }))
        .stdout,
    );
    const advice = asked.runs[0].results.filter(
      (r: { properties: { status: string } }) => r.properties.status === "ADVICE",
    );
    expect(advice.length).toBeGreaterThan(0);
    for (const a of advice) expect(a.level).toBe("note");
  });

  it("a resource declared in the repository's own .tf points at its block", async () => {
    await writeFile(
      join(repo, "main.tf"),
      'terraform {}\n\n# the role this team manages in HCL\nresource "aws_iam_role" "cloudsmith" {\n  name = "x"\n}\n',
    );
    // The plan's role, addressed everywhere as if main.tf declared it (as a brownfield plan would).
    const text = (await readFile(join(repo, "plan.json"), "utf8")).replaceAll(
      "aws_iam_role.cloudsmith_role",
      "aws_iam_role.cloudsmith",
    );
    await writeFile(join(repo, "plan-own.json"), text);
    const r = JSON.parse(
      (await runCli(["verify", "--static", "plan-own.json", "--output", "sarif", "--advice-as-alerts"], { cwd: repo }))
        .stdout,
    );
    const inTf = r.runs[0].results.filter(
      (x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) =>
        x.locations[0]!.physicalLocation.artifactLocation.uri === "main.tf",
    );
    expect(inTf.length).toBeGreaterThan(0);
    for (const x of inTf) {
      expect(x.locations[0].physicalLocation.region.startLine).toBe(4);
      expect(x.relatedLocations[0].physicalLocation.artifactLocation.uri).toBe("plan-own.json");
    }
  });
});
