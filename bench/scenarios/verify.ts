/**
 * verify against the deployed example: one config against a peer (one read with the AWS CLI), many
 * configs against one, and --static against the start-up it cannot avoid.
 */
import { join } from "node:path";
import type { Check } from "../lib/check.js";
import { type Run, sideBySide } from "../lib/measure.js";
import { BIN, configsFolder, type World } from "../lib/world.js";

const summaryOf = (r: Run): string => JSON.stringify(JSON.parse(r.stdout).summary);

export async function verify(world: World, runs: number): Promise<Check[]> {
  const e = world.emulator.endpoint;
  const env = world.env;
  const verifyCmd = (label: string, args: string[]) => ({
    label,
    cmd: process.execPath,
    args: [BIN, "verify", "--endpoint-url", e, "--output", "json", ...args],
    cwd: world.work,
    env,
    expectCode: "any" as const,
  });
  const roleName = String(world.config.roleName ?? "CloudsmithLogsWriter");
  const one = await sideBySide(
    "verify, 1 config",
    verifyCmd("verify (every rule, every read)", []),
    {
      label: "aws iam get-role (one read)",
      cmd: "aws",
      args: ["iam", "get-role", "--role-name", roleName, "--endpoint-url", e, "--region", "us-east-1"],
      cwd: world.work,
      env,
    },
    {
      runs,
      same: (a, b) => {
        const role = JSON.parse(a.stdout).results.find((r: { ruleId: string }) => r.ruleId === "role.exists");
        const name = JSON.parse(b.stdout).Role?.RoleName;
        return role?.status === "PASS" && name === roleName
          ? undefined
          : `role.exists ${role?.status}, get-role ${name}`;
      },
    },
  );
  const fifty = await sideBySide(
    "verify, 50 configs",
    verifyCmd("verify, 50 configs in one run", ["-c", configsFolder(world, "configs-50", 50)]),
    verifyCmd("verify, 1 config", []),
    {
      runs: Math.min(runs, 5),
      same: (a, b) => {
        const many = JSON.parse(a.stdout).configs as Array<{ summary: unknown }>;
        const single = summaryOf(b);
        return many.length === 50 && many.every((c) => JSON.stringify(c.summary) === single)
          ? undefined
          : "a config's summary differs from the single run's";
      },
    },
  );
  const stat = await sideBySide(
    "verify --static",
    {
      label: "verify --static (synthesized JSON)",
      cmd: process.execPath,
      args: [BIN, "verify", "--static", join(world.work, "deploy")],
      cwd: world.work,
      expectCode: "any",
    },
    { label: "--help", cmd: process.execPath, args: [BIN, "--help"] },
    { runs },
  );
  return [
    {
      what: "verify of 1 config (41 rules, every read) over one `aws iam get-role`",
      value: one.ratio,
      op: "<=",
      target: 1,
      unit: "x",
      detail: `${one.a.medianMs} ms vs ${one.b.medianMs} ms`,
    },
    {
      // 50 configs send 700 requests to an emulator that answers a few hundred a second.
      what: "verify of 50 configs in one run over 1 config",
      value: fifty.ratio,
      op: "<=",
      target: 12,
      unit: "x",
      detail: `${fifty.a.medianMs} ms vs ${fifty.b.medianMs} ms, ${fifty.a.peakMB} MB`,
    },
    {
      what: "verify --static over the start-up (--help)",
      value: stat.ratio,
      op: "<=",
      target: 3,
      unit: "x",
      detail: `${stat.a.medianMs} ms vs ${stat.b.medianMs} ms`,
    },
  ];
}
