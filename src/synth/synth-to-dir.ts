/**
 * Synthesizes into a temporary directory next to the output, then moves each
 * file into place with rename(2). A failed synth leaves the previous output
 * untouched, and files Terraform keeps beside ours (.terraform/, state,
 * override files) are never removed. Every target is checked before any is
 * replaced: a file we did not write (an unrelated manifest.json, a file where
 * a folder goes, a link) stops the run with nothing changed.
 */
import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { Config } from "../config/schema.js";
import { usageError } from "../util/errors.js";

export interface SynthResult {
  outDir: string;
  /** Directory to run `terraform` in. */
  stackDir: string;
  /** Main Terraform JSON file. */
  stackFile: string;
  files: string[];
  resourceCount: number;
}

/** A refusal to write into an output folder: exit 2, nothing changed. */
export class OutputNotOurs extends Error {}

const exists = async (p: string) =>
  lstat(p).then(
    (st) => st,
    () => undefined,
  );

/** Whether a file at `target` is one a previous synth wrote (ours to replace). */
async function ours(target: string, rel: string, stack: string): Promise<boolean> {
  if (rel === "manifest.json") {
    try {
      const m = JSON.parse(await readFile(target, "utf8")) as { stacks?: Record<string, unknown> };
      return m.stacks !== undefined && Object.keys(m.stacks).every((k) => k === stack);
    } catch {
      return false;
    }
  }
  return true; // under stacks/<our stack>/: ours by name
}

/** Checks every target before anything is replaced. */
async function checkTargets(out: string, files: string[], stack: string): Promise<void> {
  for (const rel of files) {
    const parts = rel.split("/");
    for (let i = 1; i < parts.length; i++) {
      const folder = join(out, ...parts.slice(0, i));
      const st = await exists(folder);
      if (st && !st.isDirectory())
        throw new OutputNotOurs(`${folder} is not a folder (synth writes ${rel} there): nothing was written`);
    }
    const target = join(out, rel);
    const st = await exists(target);
    if (!st) continue;
    if (!st.isFile())
      throw new OutputNotOurs(`${target} is not a regular file (a link or a folder): nothing was written`);
    if (!(await ours(target, rel, stack)))
      throw new OutputNotOurs(
        `${target} was not written by this tool (it names other stacks): choose another --out; nothing was written`,
      );
  }
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
  try {
    return await synthInto(config, outDir);
  } catch (e) {
    if (e instanceof OutputNotOurs) throw usageError(e.message);
    throw e;
  }
}

async function synthInto(config: Config, outDir: string): Promise<SynthResult> {
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
    const outStat = await exists(out);
    if (outStat && !outStat.isDirectory())
      throw new OutputNotOurs(`${out} is a file, not a folder: nothing was written`);
    await checkTargets(out, ordered, STACK_NAME);
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
