/** synth against the standard CDK for Terraform path (cdktf-cli on the same stacks): same Terraform, faster. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Check } from "../lib/check.js";
import { alone, sideBySide } from "../lib/measure.js";
import { BIN, EXAMPLE, ROOT } from "../lib/world.js";

const CDKTF_DIR = join(ROOT, "bench", ".cdktf-cli");

function cdktfCli(): string {
  const bin = join(CDKTF_DIR, "node_modules", ".bin", "cdktf");
  if (!existsSync(bin)) {
    process.stderr.write("installing cdktf-cli@0.21.0 for the comparison (once, into bench/.cdktf-cli)...\n");
    mkdirSync(CDKTF_DIR, { recursive: true });
    writeFileSync(join(CDKTF_DIR, "package.json"), '{ "name": "cle-bench-cdktf", "private": true }\n');
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "cdktf-cli@0.21.0"], {
      cwd: CDKTF_DIR,
      stdio: "inherit",
    });
  }
  return bin;
}

export async function synth(runs: number): Promise<Check[]> {
  const work = mkdtempSync(join(tmpdir(), "cle-bench-synth-"));
  const stack = (dir: string) => readFileSync(join(dir, "stacks", "cloudsmith-log-export", "cdk.tf.json"), "utf8");
  const ours = join(work, "ours");
  const theirs = join(work, "cdktf");
  const c = await sideBySide(
    "synth",
    { label: "synth --example", cmd: process.execPath, args: [BIN, "synth", "--example", "-o", ours], cwd: work },
    {
      label: "cdktf synth (cdktf-cli 0.21, same stacks)",
      cmd: cdktfCli(),
      args: ["synth", "--output", theirs],
      cwd: ROOT,
      env: { CLOUDSMITH_LOG_EXPORT_CONFIG: EXAMPLE, CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1", CI: "1" },
    },
    { runs: Math.min(runs, 5), same: () => (stack(ours) === stack(theirs) ? undefined : "different Terraform") },
  );
  const memory = await alone(
    {
      label: "synth --example (memory)",
      cmd: process.execPath,
      args: [BIN, "synth", "--example", "-o", ours],
      cwd: work,
    },
    3,
  );
  return [
    {
      what: "synth --example, speed-up over cdktf synth (same Terraform)",
      value: +(1 / c.ratio).toFixed(1),
      op: ">=",
      target: 8,
      unit: "x",
      detail: `${c.a.medianMs} ms vs ${c.b.medianMs} ms`,
    },
    { what: "synth --example, peak memory", value: memory.peakMB, op: "<=", target: 100, unit: "MB", detail: "" },
  ];
}
