/**
 * verify --static: the same rules on the synthesized Terraform JSON and on
 * `terraform show -json` plan output, before anything is deployed.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigInput } from "../../../src/config/schema.js";
import { exitCodeFor, type Result } from "../../../src/engine/evaluate.js";
import { collectFacts, verifyFacts } from "../../../src/verify/run-one.js";
import { runCli } from "../../helpers/cli.js";
import { base, configOf, variants } from "../../helpers/configs.js";
import { type Emulator, startEmulator } from "../../helpers/emulator.js";
import { sarifSchemaErrors } from "../../helpers/sarif-schema.js";
import { synthVariant } from "../../helpers/synth.js";
import { terraform, terraformInit, writeEmulatorOverride } from "../../helpers/terraform.js";

async function verifyStatic(input: ConfigInput, path: string): Promise<Result[]> {
  return verifyFacts(await collectFacts(configOf(input), { aws: {}, staticPath: path }));
}
const byId = (results: Result[]) => Object.fromEntries(results.map((r) => [r.ruleId, r.status]));

describe("static: synthesized Terraform JSON", () => {
  it("the default stack passes; what only a deployment shows is SKIPPED with the reason", async () => {
    const { result } = await synthVariant(variants.default!);
    const results = await verifyStatic(variants.default!, result.stackDir);
    expect(exitCodeFor(results)).toBe(0);
    const s = byId(results);
    expect(s).toMatchObject({
      "identity.account": "SKIPPED",
      "trail.delivery-errors": "SKIPPED",
      "analyzer.validate-policy": "SKIPPED",
      "trust.external-id": "PASS",
      "permissions.least-privilege": "PASS",
      "trail.bucket-policy": "PASS",
    });
    expect(results.filter((r) => r.status === "ERROR")).toEqual([]);
  });

  it("an External ID left to a Terraform variable is an ERROR (known only at plan time), never a PASS", async () => {
    const { result } = await synthVariant(variants["no external id"]!);
    const results = await verifyStatic(variants.default!, result.stackDir);
    expect(results.find((r) => r.ruleId === "trust.external-id")).toMatchObject({
      status: "ERROR",
      message: expect.stringMatching(/var.cloudsmith_external_id/),
    });
    expect(byId(results)["trust.principal"]).toBe("PASS");
    expect(exitCodeFor(results)).toBe(1);
  });

  it("an existing bucket is outside the Terraform: its rules are SKIPPED, the trail bucket is checked", async () => {
    const input = variants["existing bucket"]!;
    const { result } = await synthVariant(input);
    const results = await verifyStatic(input, result.stackDir);
    expect(byId(results)).toMatchObject({
      "bucket.public-access-block": "SKIPPED",
      "bucket.tls-only": "SKIPPED",
      "trail.bucket-policy": "PASS",
      "trail.destination": "PASS",
    });
    expect(exitCodeFor(results)).toBe(0);
  });

  it("KMS: the grant to the role is recognised from the synthesized reference", async () => {
    const input = variants.kms!;
    const { result } = await synthVariant(input);
    const results = await verifyStatic(input, result.stackDir);
    expect(byId(results)).toMatchObject({
      "permissions.kms": "PASS",
      "bucket.encryption": "PASS",
      "permissions.least-privilege": "PASS",
    });
  });

  it("catches a hand-edited stack file", async () => {
    const { result } = await synthVariant(variants.default!);
    const tf = JSON.parse(await readFile(result.stackFile, "utf8"));
    delete tf.resource.aws_s3_bucket_public_access_block;
    tf.resource.aws_iam_role_policy.cloudsmith_writer_policy.policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
    });
    tf.resource.aws_cloudtrail.cloudtrail_trail.advanced_event_selector[0].field_selector.push({
      field: "readOnly",
      equals: ["false"],
    });
    await writeFile(result.stackFile, JSON.stringify(tf));
    const s = byId(await verifyStatic(variants.default!, result.stackFile));
    expect(s).toMatchObject({
      "bucket.public-access-block": "FAIL",
      "permissions.least-privilege": "FAIL",
      "trail.management-events": "FAIL",
    });
  });

  it("the CLI: --static defaults to ./cdktf.out and reports the source", async () => {
    const { result } = await synthVariant(variants.default!);
    const cwd = join(result.outDir, "..");
    await writeFile(join(cwd, "cloudsmith-log-export.json"), JSON.stringify(base));
    await import("node:fs/promises").then((fs) => fs.rename(result.outDir, join(cwd, "cdktf.out")));
    const r = await runCli(["verify", "--static"], { cwd });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/against\s+terraform-json\s+cdktf.out/);
  });
});

describe("static: terraform plan JSON", () => {
  let emulator: Emulator;
  let stackDir: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    ({ stackDir } = (await synthVariant(variants["no external id"]!)).result);
    await writeEmulatorOverride(stackDir, emulator.endpoint);
    await terraformInit(stackDir);
  }, 120_000);
  afterAll(() => emulator?.stop());

  async function planJson(externalId: string): Promise<string> {
    await terraform(stackDir, [
      "plan",
      "-input=false",
      "-out",
      "tfplan",
      "-var",
      `cloudsmith_external_id=${externalId}`,
    ]);
    const { stdout } = await terraform(stackDir, ["show", "-json", "tfplan"]);
    const file = join(stackDir, `plan-${externalId}.json`);
    await writeFile(file, stdout);
    return file;
  }

  it("the plan with the right External ID passes; values known only after apply are not needed", async () => {
    const file = await planJson("cs-ext-0123456789");
    const results = await verifyStatic(variants.default!, file);
    expect(byId(results)).toMatchObject({
      "trust.external-id": "PASS",
      "trust.principal": "PASS",
      "permissions.required": "PASS",
      "trail.bucket-policy": "PASS",
      "trail.management-events": "PASS",
    });
    expect(exitCodeFor(results)).toBe(0);
    expect(results.filter((r) => r.status === "ERROR")).toEqual([]);
    // A plan is not a deployment: nothing is said to exist yet.
    expect(results.find((r) => r.ruleId === "role.exists")?.message).toBe(
      "role CloudsmithLogsWriter is in the plan with path /",
    );
    expect(results.filter((r) => / exists\b/.test(r.message))).toEqual([]);
    // The same through the CLI, with the plan file as the source.
    await writeFile(join(stackDir, "cfg.json"), JSON.stringify(base));
    const r = await runCli(["verify", "--config", "cfg.json", "--static", file, "--output", "json"], { cwd: stackDir });
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).source).toMatch(/^terraform-plan /);
  }, 60_000);

  it("the plan with a different External ID fails trust.external-id", async () => {
    const file = await planJson("someone-elses-id");
    const results = await verifyStatic(variants.default!, file);
    expect(byId(results)["trust.external-id"]).toBe("FAIL");
    expect(exitCodeFor(results)).toBe(1);
    // SARIF for the pull request's code-scanning upload: schema-valid, the alert at the role in the plan.
    await writeFile(join(stackDir, "cfg.json"), JSON.stringify(base));
    const r = await runCli(["verify", "-c", "cfg.json", "--static", file, "--output", "sarif"], { cwd: stackDir });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].automationDetails.id).toBe("cloudsmith-log-export/static/cfg.json/");
    const alert = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === "trust.external-id");
    // The alert is at the config's field (in the pull request's diff); the plan's line is related.
    expect(alert.locations[0].physicalLocation.artifactLocation.uri).toBe("cfg.json");
    const at = alert.relatedLocations[0].physicalLocation;
    expect(at.artifactLocation.uri).toBe("plan-someone-elses-id.json");
    // `terraform show -json` writes one line: the column is where the role's address starts.
    const text = await readFile(file, "utf8");
    const line = text.split("\n")[at.region.startLine - 1]!;
    expect(line.slice(at.region.startColumn - 1)).toMatch(/^"address":"aws_iam_role\.[A-Za-z0-9_]+"/);
  }, 60_000);

  it("an attached policy created in the same plan has an unknown ARN: ERROR, not PASS", async () => {
    const file = await planJson("cs-ext-0123456789");
    const plan = JSON.parse(await readFile(file, "utf8"));
    const mod = plan.planned_values.root_module;
    mod.resources.push({
      address: "aws_iam_role_policy_attachment.extra",
      mode: "managed",
      type: "aws_iam_role_policy_attachment",
      name: "extra",
      values: { role: "CloudsmithLogsWriter" },
    });
    plan.resource_changes.push({
      address: "aws_iam_role_policy_attachment.extra",
      change: { after_unknown: { policy_arn: true } },
    });
    await writeFile(file, JSON.stringify(plan));
    const results = await verifyStatic(variants.default!, file);
    expect(byId(results)["permissions.least-privilege"]).toBe("ERROR");
  }, 60_000);

  // Last in this block: it applies the stack. Every pull request after the first deploy plans
  // against existing state, where Terraform writes "" for a role without a permissions boundary.
  it("apply, plan again: verify --static on the second plan exits 0", async () => {
    await terraform(stackDir, [
      "apply",
      "-input=false",
      "-auto-approve",
      "-var",
      "cloudsmith_external_id=cs-ext-0123456789",
    ]);
    const file = await planJson("cs-ext-0123456789");
    const plan = JSON.parse(await readFile(file, "utf8"));
    const role = plan.planned_values.root_module.resources.find((r: { type: string }) => r.type === "aws_iam_role");
    expect(role.values.permissions_boundary).toBe("");
    const results = await verifyStatic(variants.default!, file);
    expect(results.filter((r) => r.status === "ERROR" || (r.status === "FAIL" && r.severity !== "info"))).toEqual([]);
    expect(exitCodeFor(results)).toBe(0);
  }, 120_000);
});
