/**
 * Synthesizes into a temporary directory next to the output, then moves each
 * file into place with rename(2). A failed synth leaves the previous output
 * untouched, and files Terraform keeps beside ours (.terraform/, state,
 * override files) are never removed.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { Config } from "../config/schema.js";

export interface SynthResult {
  outDir: string;
  /** Directory to run `terraform` in. */
  stackDir: string;
  /** Main Terraform JSON file. */
  stackFile: string;
  files: string[];
  resourceCount: number;
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, full)));
    else out.push(relative(root, full));
  }
  return out.sort();
}

export async function synthToDir(config: Config, outDir: string): Promise<SynthResult> {
  const out = resolve(outDir);
  await mkdir(dirname(out), { recursive: true });
  const tmp = await mkdtemp(join(dirname(out), `.${basename(out)}.tmp-`));
  try {
    const { synthesizeStack, STACK_NAME } = await import("../../stacks/synth.js");
    synthesizeStack(config, tmp);
    const files = await listFiles(tmp);
    const stackRel = join("stacks", STACK_NAME, "cdk.tf.json");
    const doc = JSON.parse(await readFile(join(tmp, stackRel), "utf8")) as {
      resource?: Record<string, Record<string, unknown>>;
    };
    const resourceCount = Object.values(doc.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    // The stack file goes last, so a reader never sees a new manifest with an old stack missing.
    const ordered = [...files.filter((f) => f !== stackRel), stackRel];
    for (const f of ordered) {
      await mkdir(dirname(join(out, f)), { recursive: true });
      await rename(join(tmp, f), join(out, f));
    }
    return {
      outDir: out,
      stackDir: join(out, "stacks", STACK_NAME),
      stackFile: join(out, stackRel),
      files: ordered,
      resourceCount,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
