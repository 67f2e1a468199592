/**
 * The package as a CI job installs it: packed, installed into an empty prefix outside the
 * repository, and run from an empty folder. Nothing from this clone's node_modules is reachable,
 * so anything the bundle failed to hold shows up here as a missing module.
 */

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const MAX_INSTALLED_BYTES = 30 * 1024 * 1024;

let work: string;
let bin: string;
let installed: string;
let packed: string[];

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}

async function cli(args: string[], cwd: string) {
  try {
    const r = await run(bin, args, { cwd, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 16 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "cle-pack-"));
  // `npm test` has just built; --ignore-scripts packs that build instead of building again.
  const pack = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
    cwd: ROOT,
    maxBuffer: 16 << 20,
  });
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error("npm pack printed no package");
  packed = info.files.map((f) => f.path);
  const prefix = join(work, "prefix");
  await run(
    "npm",
    // As CI installs it (the Action, the GitLab template): into a job folder, DuckDB (an optional
    // dependency) left out. A global install (-g) ignores --omit=optional and adds it.
    [
      "install",
      "--prefix",
      prefix,
      "--omit=optional",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      join(work, info.filename),
    ],
    { cwd: work, maxBuffer: 16 << 20 },
  );
  bin = join(prefix, "node_modules", ".bin", "cloudsmith-log-export");
  // Everything the install put there: the package and its one dependency, hoisted beside it.
  installed = join(prefix, "node_modules");
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("holds the bundle, the schema and the example, and no sources, source maps or tests", () => {
    expect(packed).toContain("bin/cloudsmith-log-export.js");
    expect(packed).toContain("dist/bundle/main.js");
    expect(packed.some((p) => p.startsWith("schema/"))).toBe(true);
    expect(packed.some((p) => p.startsWith("examples/"))).toBe(true);
    const stray = packed.filter((p) => /\.map$|^dist\/(src|stacks)\/|^src\/|^test\/|^stacks\//.test(p));
    expect(stray).toEqual([]);
  });

  it("installs in at most 30 MB, with the bundle's one external dependency only", async () => {
    expect(await sizeOf(installed)).toBeLessThanOrEqual(MAX_INSTALLED_BYTES);
    const deps = await readdir(join(installed, "@cloud-copilot"));
    expect(deps).toEqual(["iam-data"]);
    expect((await readdir(installed)).filter((d) => !d.startsWith("."))).toEqual([
      "@cloud-copilot",
      "cloudsmith-log-export",
    ]);
  });

  it("without the optional DuckDB, investigate says in one line how to add it (exit 2, nothing fetched)", async () => {
    const folder = join(work, "no-duckdb");
    await mkdir(folder);
    const r = await cli(["investigate", "--example", "--package", "npm:lodash@4.17.20"], folder);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      "cloudsmith-log-export: investigate needs DuckDB, an optional dependency left out of this install (npm install --omit=optional): add it with `npm install @duckdb/node-api` beside cloudsmith-log-export",
    ]);
  });

  it("runs from an empty folder: --version, synth --example, verify --static, --list-rules", async () => {
    const folder = join(work, "empty");
    await mkdir(folder);
    const manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };

    const version = await cli(["--version"], folder);
    expect(version).toMatchObject({ code: 0, stderr: "" });
    expect(version.stdout.trim()).toBe(manifest.version);

    const synth = await cli(["synth", "--example"], folder);
    expect(synth.stderr).toBe("");
    expect(synth.code).toBe(0);
    expect(existsSync(join(folder, "cdktf.out", "stacks", "cloudsmith-log-export", "cdk.tf.json"))).toBe(true);

    // The example has no External ID yet, so the two trust rules that need it are ERROR: exit 1,
    // with every config rule evaluated (the IAM data is read from the installed dependency).
    const verify = await cli(["verify", "--static", "--example", "--output", "json"], folder);
    expect(verify.stderr).toBe("");
    const report = JSON.parse(verify.stdout) as { results: { ruleId: string; status: string }[] };
    const byRule = new Map(report.results.map((r) => [r.ruleId, r.status]));
    expect(byRule.get("permissions.least-privilege")).toBe("PASS");
    expect(byRule.get("trust.external-id")).toBe("ERROR");
    expect(verify.code).toBe(1);

    const rules = await cli(["verify", "--list-rules"], folder);
    expect(rules.code).toBe(0);
    expect(rules.stdout).toMatch(/^trust\.external-id\s/m);
  });
});
