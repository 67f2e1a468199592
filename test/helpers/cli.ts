/** Spawns the built CLI exactly as a user would (bin -> dist). */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/cloudsmith-log-export.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", ...opts.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

const MAX_RSS_HOOK = fileURLToPath(new URL("./report-max-rss.mjs", import.meta.url));

/** runCli, plus the child's peak resident memory in MiB (rusage, measured by the kernel). */
export async function runCliMeasured(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {},
): Promise<CliResult & { maxRssMiB: number }> {
  const { mkdtemp, readFile, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = await mkdtemp(join(tmpdir(), "cle-rss-"));
  const file = join(dir, "max-rss");
  try {
    const r = await runCli(args, {
      ...opts,
      env: {
        ...opts.env,
        CLE_TEST_MAX_RSS_FILE: file,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${MAX_RSS_HOOK}`.trim(),
      },
    });
    return { ...r, maxRssMiB: Number(await readFile(file, "utf8")) / 1024 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
