/**
 * How the bench measures: whole processes, wall time from here and peak RSS
 * from GNU time, and every budget a ratio of two sides measured alternately
 * in the same run (A B A B ...), so a loaded machine slows both alike. Both
 * sides must give the same answer (the caller's check), or the run fails.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const TIME = "/usr/bin/time";

export interface Run {
  ms: number;
  peakMB: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Command {
  /** What the row says. */
  label: string;
  cmd: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** The exit code a correct run has, or "any". @default 0 */
  expectCode?: number | "any";
}

/** Runs one command to its end, with its peak resident memory. */
export async function timed(c: Command): Promise<Run> {
  const memFile = join(mkdtempSync(join(tmpdir(), "cle-bench-")), "rss");
  const t0 = performance.now();
  const child = spawn(TIME, ["-f", "%M", "-o", memFile, c.cmd, ...c.args], {
    cwd: c.cwd,
    env: { ...process.env, NO_COLOR: "1", ...c.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (d: Buffer) => out.push(d));
  child.stderr.on("data", (d: Buffer) => err.push(d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const ms = performance.now() - t0;
  const run: Run = {
    ms,
    peakMB: Number(readFileSync(memFile, "utf8").trim().split("\n").pop()) / 1024,
    code,
    stdout: Buffer.concat(out).toString("utf8"),
    stderr: Buffer.concat(err).toString("utf8"),
  };
  const expected = c.expectCode ?? 0;
  if (expected !== "any" && code !== expected)
    throw new Error(
      `${c.label}: exit ${code}, expected ${expected}\n${run.stderr.slice(-2000)}\n${run.stdout.slice(-2000)}`,
    );
  return run;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export interface Side {
  label: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  peakMB: number;
  runs: number;
}

export interface Comparison {
  name: string;
  a: Side;
  b: Side;
  /** a's median time over b's. */
  ratio: number;
  /** The machine's 1-minute load average before and after. */
  load: [number, number];
}

const side = (label: string, runs: Run[]): Side => ({
  label,
  medianMs: Math.round(median(runs.map((r) => r.ms))),
  minMs: Math.round(Math.min(...runs.map((r) => r.ms))),
  maxMs: Math.round(Math.max(...runs.map((r) => r.ms))),
  peakMB: Math.round(Math.max(...runs.map((r) => r.peakMB))),
  runs: runs.length,
});

/**
 * A against B, alternated after one warm-up of each. `same(a, b)` returns why the two answers
 * differ (or undefined when they agree); a difference fails the bench: a faster wrong answer
 * proves nothing.
 */
export async function sideBySide(
  name: string,
  a: Command,
  b: Command,
  opts: { runs: number; warmup?: number; same?: (a: Run, b: Run) => string | undefined },
): Promise<Comparison> {
  const load0 = loadavg()[0]!;
  const ra: Run[] = [];
  const rb: Run[] = [];
  for (let i = 0; i < (opts.warmup ?? 1) + opts.runs; i++) {
    // Alternate which side goes first, so neither always runs on a warmer cache.
    const [x, y] = i % 2 === 0 ? [a, b] : [b, a];
    const rx = await timed(x);
    const ry = await timed(y);
    const [runA, runB] = x === a ? [rx, ry] : [ry, rx];
    const differ = opts.same?.(runA, runB);
    if (differ) throw new Error(`${name}: the two sides disagree: ${differ}`);
    if (i < (opts.warmup ?? 1)) continue;
    ra.push(runA);
    rb.push(runB);
  }
  const c: Comparison = {
    name,
    a: side(a.label, ra),
    b: side(b.label, rb),
    ratio: 0,
    load: [load0, loadavg()[0]!],
  };
  c.ratio = +(c.a.medianMs / c.b.medianMs).toFixed(2);
  process.stderr.write(
    `  ${name}: ${c.a.label} ${c.a.medianMs} ms, ${c.b.label} ${c.b.medianMs} ms (ratio ${c.ratio}, load ${c.load.map((l) => l.toFixed(1)).join(" -> ")})\n`,
  );
  return c;
}

/** One side alone, repeated (for memory, which a loaded machine does not change). */
export async function alone(c: Command, runs: number): Promise<Side> {
  const rs: Run[] = [];
  for (let i = 0; i < runs; i++) rs.push(await timed(c));
  const s = side(c.label, rs);
  process.stderr.write(`  ${c.label}: ${s.medianMs} ms, ${s.peakMB} MB\n`);
  return s;
}
