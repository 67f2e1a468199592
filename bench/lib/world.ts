/**
 * What the scenarios run against: the local emulator (the tests' helper) with
 * the bundled example deployed by real Terraform (the tests' helpers), in a
 * scratch folder. The same setup the integration tests use, not a copy.
 */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Emulator, startEmulator } from "../../test/helpers/emulator.js";
import { terraform, terraformInit, writeEmulatorOverride } from "../../test/helpers/terraform.js";

export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const BIN = join(ROOT, "bin", "cloudsmith-log-export.js");
export const EXAMPLE = join(ROOT, "examples", "cloudsmith-log-export.example.json");

export interface World {
  emulator: Emulator;
  /** A scratch folder holding cloudsmith-log-export.json (the example with an External ID). */
  work: string;
  config: Record<string, unknown> & { bucket: { name: string }; accountId: string };
  /** AWS settings for the CLI and the SDK pointed at the emulator. */
  env: Record<string, string>;
  /** The key CloudTrail digests are signed with (its public half is served by ListPublicKeys). */
  signing: { privateKey: KeyObject; fingerprint: string; hourNow: number };
  stop(): Promise<void>;
}

/** How far back the signing key is valid: a 30-day history and some. */
export const HISTORY_HOURS = 720;

/** The example plus a SIEM hand-off (a SaaS SIEM's account) and PCI DSS retention. */
export const SIEM_CONFIG = "with-siem-and-retention.json";
const SIEM_AND_RETENTION = {
  retention: { profile: "pci-dss" },
  siem: { reader: { principal: "arn:aws:iam::210987654321:root", externalId: "siem-ext-bench" } },
};

export async function deployedExample(): Promise<World> {
  const work = mkdtempSync(join(tmpdir(), "cle-bench-"));
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const fingerprint = "bench0123456789abcdef0123456789ab";
  const hourNow = Math.floor(Date.now() / 3_600_000) * 3600;
  const keysFile = join(work, "public-keys.json");
  writeFileSync(
    keysFile,
    JSON.stringify([
      {
        fingerprint,
        value: publicKey.export({ format: "der", type: "pkcs1" }).toString("base64"),
        start: hourNow - (HISTORY_HOURS + 2) * 3600,
        end: hourNow + 7200,
      },
    ]),
  );
  const emulator = await startEmulator({ env: { CLE_CLOUDTRAIL_PUBLIC_KEYS: keysFile } });
  const config = { ...JSON.parse(readFileSync(EXAMPLE, "utf8")), externalId: "cs-ext-bench-0001" };
  delete config.$schema;
  writeFileSync(join(work, "cloudsmith-log-export.json"), JSON.stringify(config));
  // The same deployment with a SIEM hand-off and a retention profile (deployed, so both configs
  // verify against it): the bench compares verify with and without those packs.
  writeFileSync(join(work, SIEM_CONFIG), JSON.stringify({ ...config, ...SIEM_AND_RETENTION }));
  execFileSync(process.execPath, [BIN, "synth", "-c", SIEM_CONFIG, "-o", "deploy"], { cwd: work, stdio: "ignore" });
  const stackDir = join(work, "deploy", "stacks", "cloudsmith-log-export");
  await writeEmulatorOverride(stackDir, emulator.endpoint);
  await terraformInit(stackDir);
  await terraform(stackDir, ["apply", "-auto-approve", "-input=false"]);
  const env = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1" };
  return { emulator, work, config, env, signing: { privateKey, fingerprint, hourNow }, stop: () => emulator.stop() };
}

/** Writes `n` configs (the deployed example's) into a folder of the scratch space. */
export function configsFolder(world: World, name: string, n: number): string {
  const dir = join(world.work, name);
  execFileSync("mkdir", ["-p", dir]);
  for (let i = 0; i < n; i++)
    writeFileSync(join(dir, `account-${String(i).padStart(3, "0")}.json`), JSON.stringify(world.config));
  return dir;
}
