/**
 * Runs the real Terraform CLI against synthesized stacks. Providers come from
 * the machine's local mirror (no registry is reachable): TF_PROVIDER_MIRROR
 * overrides the location. Missing terraform or mirror fails loudly.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { ConfigInput } from "../../src/config/schema.js";
import { synthVariant } from "./synth.js";

const run = promisify(execFile);

const MIRROR_CANDIDATES = ["/opt/tf-plugins", "/usr/share/terraform/plugins", "/usr/local/share/terraform/plugins"];

export function providerMirror(): string {
  const fromEnv = process.env.TF_PROVIDER_MIRROR;
  const dirs = fromEnv ? [fromEnv] : MIRROR_CANDIDATES;
  const found = dirs.find((d) => existsSync(join(d, "registry.terraform.io", "hashicorp", "aws")));
  if (!found) {
    throw new Error(
      `no Terraform provider mirror with hashicorp/aws in ${dirs.join(", ")}; set TF_PROVIDER_MIRROR to the directory that holds registry.terraform.io/`,
    );
  }
  return found;
}

/** A clean environment: no user CLI config, no update checks, no real credentials. */
function tfEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    ...extra,
  };
  delete env.TF_CLI_CONFIG_FILE;
  for (const k of Object.keys(env)) if (k.startsWith("AWS_") && !(k in extra)) delete env[k];
  return env;
}

export async function terraform(
  cwd: string,
  args: string[],
  extraEnv?: Record<string, string>,
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run("terraform", [...args, "-no-color"], { cwd, env: tfEnv(extraEnv), maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { code?: string | number; stdout?: string; stderr?: string; message: string };
    if (err.code === "ENOENT") throw new Error("terraform is not on PATH: the Terraform tests need the Terraform CLI");
    throw new Error(`terraform ${args[0]} failed in ${cwd}:\n${err.stderr ?? ""}\n${err.stdout ?? ""}`);
  }
}

export const terraformInit = (cwd: string) =>
  terraform(cwd, ["init", "-input=false", `-plugin-dir=${providerMirror()}`]);

/** Points the AWS provider at the emulator with a Terraform override file: the synthesized JSON stays untouched. */
export async function writeEmulatorOverride(stackDir: string, endpoint: string): Promise<void> {
  const services = ["iam", "sts", "s3", "s3control", "cloudtrail", "kms", "glue", "athena", "sqs"];
  await writeFile(
    join(stackDir, "emulator_override.tf.json"),
    JSON.stringify({
      provider: {
        aws: [
          {
            access_key: "test",
            secret_key: "test",
            skip_credentials_validation: true,
            skip_metadata_api_check: true,
            s3_use_path_style: true,
            endpoints: [Object.fromEntries(services.map((s) => [s, endpoint]))],
          },
        ],
      },
    }),
  );
}

/**
 * Synthesizes a config into `outDir`, applies it to the emulator with real Terraform, and proves a
 * plan afterwards is clean (no drift from the emulator's answers). Returns the stack directory.
 */
export async function applyToEmulator(config: ConfigInput, outDir: string, endpoint: string): Promise<string> {
  const { result } = await synthVariant(config, outDir);
  await writeEmulatorOverride(result.stackDir, endpoint);
  await terraformInit(result.stackDir);
  await terraform(result.stackDir, ["apply", "-auto-approve", "-input=false"]);
  const plan = await terraform(result.stackDir, ["plan", "-detailed-exitcode", "-input=false"]);
  if (!plan.stdout.includes("No changes."))
    throw new Error(`a plan after apply is not clean in ${result.stackDir}:\n${plan.stdout}`);
  return result.stackDir;
}
