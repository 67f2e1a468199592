/**
 * The optional auditor role, applied by Terraform to the emulator: it holds exactly the policy
 * `verify --print-iam-policy` prints for its config, and the scheduled drift check runs as it
 * (`verify --assume-role-arn`). The emulator does not enforce IAM; that the policy covers every
 * call is proved by test/verify/iam-policy.integration.test.ts.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetRoleCommand, GetRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorClients } from "../helpers/aws-sdk.js";
import { runCli } from "../helpers/cli.js";
import { withAuditor } from "../helpers/configs.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";
import { synthVariant } from "../helpers/synth.js";
import { terraform, terraformInit, writeEmulatorOverride } from "../helpers/terraform.js";

let emulator: Emulator;
let stackDir: string;
let outputs: Record<string, { value: unknown }>;

beforeAll(async () => {
  emulator = await startEmulator();
  ({ stackDir } = (await synthVariant(withAuditor)).result);
  await writeEmulatorOverride(stackDir, emulator.endpoint);
  await terraformInit(stackDir);
  await terraform(stackDir, ["apply", "-auto-approve", "-input=false"]);
  outputs = JSON.parse((await terraform(stackDir, ["output", "-json"])).stdout);
  await writeFile(join(stackDir, "cloudsmith-log-export.json"), JSON.stringify(withAuditor));
}, 180_000);
afterAll(() => emulator?.stop());

describe("the auditor role, deployed", () => {
  it("holds exactly the policy verify --print-iam-policy prints for its config", async () => {
    const arn = outputs.auditor_role_arn!.value as string;
    expect(arn).toBe("arn:aws:iam::123456789012:role/CloudsmithLogExportAuditor");
    const { iam } = emulatorClients(emulator.endpoint);
    const deployed = await iam.send(
      new GetRolePolicyCommand({ RoleName: "CloudsmithLogExportAuditor", PolicyName: "cloudsmith-log-export-verify" }),
    );
    const printed = await runCli(["verify", "--print-iam-policy", "--delivery", "--integrity"], { cwd: stackDir });
    expect(printed.code, printed.stderr).toBe(0);
    expect(JSON.parse(decodeURIComponent(deployed.PolicyDocument!))).toEqual(JSON.parse(printed.stdout));
    const role = await iam.send(new GetRoleCommand({ RoleName: "CloudsmithLogExportAuditor" }));
    expect(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).toContain("repo:acme/infra:ref:refs/heads/main");
  });

  it("the drift check runs as it: verify --assume-role-arn passes on the fresh deployment", async () => {
    const r = await runCli(
      [
        "verify",
        "--endpoint-url",
        emulator.endpoint,
        "--assume-role-arn",
        "arn:aws:iam::{accountId}:role/CloudsmithLogExportAuditor",
        "--quiet",
      ],
      { cwd: stackDir, env: emulator.env },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed, 0 errors/);
  }, 60_000);
});
