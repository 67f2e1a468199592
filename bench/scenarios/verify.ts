/**
 * verify against the deployed example: one config against a peer (one read with the AWS CLI), many
 * configs against one, and --static against the start-up it cannot avoid.
 */
import { join } from "node:path";
import type { Check } from "../lib/check.js";
import { type Run, sideBySide } from "../lib/measure.js";
import { BIN, configsFolder, SIEM_CONFIG, type World } from "../lib/world.js";

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
  // The base rules must answer the same with the new packs on; only the new rules are added.
  const baseStatuses = (r: Run, drop: (id: string) => boolean) =>
    JSON.stringify(
      (JSON.parse(r.stdout).results as Array<{ ruleId: string; status: string; resource: string }>)
        .filter((x) => !drop(x.ruleId))
        .map((x) => `${x.ruleId} ${x.resource} ${x.status}`)
        .sort(),
    );
  const packs = await sideBySide(
    "verify with the siem and retention packs",
    verifyCmd("verify -c with-siem-and-retention.json --siem", ["-c", SIEM_CONFIG, "--siem"]),
    verifyCmd("verify (today's packs)", []),
    {
      runs,
      same: (a, b) => {
        const added = JSON.parse(a.stdout).results as Array<{ ruleId: string; status: string }>;
        const siem = added.filter((x) => x.ruleId.startsWith("siem."));
        if (siem.length !== 8 || siem.some((x) => x.status !== "PASS" && x.status !== "SKIPPED"))
          return `siem rules: ${siem.map((x) => `${x.ruleId} ${x.status}`).join(", ")}`;
        const isNew = (id: string) => id.startsWith("siem.") || id === "retention.lifecycle";
        return baseStatuses(a, isNew) === baseStatuses(b, isNew) ? undefined : "the base rules answered differently";
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
      what: "verify of 1 config with the siem and retention packs over today's packs",
      value: packs.ratio,
      op: "<=",
      target: 1.3,
      unit: "x",
      detail: `${packs.a.medianMs} ms vs ${packs.b.medianMs} ms`,
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
