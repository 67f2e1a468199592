/**
 * `npm run bench`: every budget is a ratio of two commands measured alternately in the same run (a
 * peer doing the same job, or a baseline that does the least the job needs), both checked to give
 * the same answer; memory and size budgets are absolute (a loaded machine does not change them).
 * Prints the tables and the machine's load, writes bench/results.json, exits 1 when a budget is
 * missed. `npm run bench -- startup verify` runs only those scenarios.
 * Needs what the tests need: terraform with the provider mirror, python3 with moto, the AWS CLI,
 * and GNU time (/usr/bin/time).
 */
import { renameSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { type Check, met } from "./lib/check.js";
import { deployedExample, ROOT, type World } from "./lib/world.js";
import { evaluator } from "./scenarios/evaluator.js";
import { fleet } from "./scenarios/fleet.js";
import { investigate } from "./scenarios/investigate.js";
import { installedPackage } from "./scenarios/package.js";
import { hostile, integrity, pull } from "./scenarios/reads.js";
import { startup } from "./scenarios/startup.js";
import { synth } from "./scenarios/synth.js";
import { verify } from "./scenarios/verify.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

type Scenario = { name: string; needsWorld: boolean; run: (world: World | undefined) => Promise<Check[]> };

const SCENARIOS: Scenario[] = [
  { name: "startup", needsWorld: false, run: () => startup(RUNS) },
  { name: "synth", needsWorld: false, run: () => synth(RUNS) },
  { name: "verify", needsWorld: true, run: (w) => verify(w!, RUNS) },
  { name: "evaluator", needsWorld: false, run: () => evaluator(RUNS) },
  { name: "fleet", needsWorld: true, run: (w) => fleet(w!, RUNS) },
  { name: "integrity", needsWorld: true, run: (w) => integrity(w!) },
  { name: "hostile", needsWorld: true, run: (w) => hostile(w!) },
  { name: "pull", needsWorld: false, run: () => pull() },
  { name: "package", needsWorld: false, run: () => installedPackage() },
  { name: "investigate", needsWorld: true, run: (w) => investigate(w!, RUNS) },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const chosen = only.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => only.includes(s.name));
  if (chosen.length !== Math.max(only.length, chosen.length) || (only.length > 0 && chosen.length !== only.length))
    throw new Error(`unknown scenario: choose from ${SCENARIOS.map((s) => s.name).join(", ")}`);
  const loadBefore = loadavg();
  const checks: Check[] = [];
  let world: World | undefined;
  try {
    for (const s of chosen) {
      process.stderr.write(`${s.name}\n`);
      if (s.needsWorld && !world) world = await deployedExample();
      checks.push(...(await s.run(world)));
    }
  } finally {
    await world?.stop();
  }
  const machine = {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    load: { before: loadBefore.map((l) => +l.toFixed(2)), after: loadavg().map((l) => +l.toFixed(2)) },
  };
  const table = [
    "| budget | measured | target | | how |",
    "| --- | ---: | ---: | --- | --- |",
    ...checks.map(
      (c) =>
        `| ${c.what} | ${c.value} ${c.unit} | ${c.op} ${c.target} ${c.unit} | ${met(c) ? "met" : "MISSED"} | ${c.detail} |`,
    ),
  ].join("\n");
  process.stdout.write(
    `\n${table}\n\nmachine: ${machine.cores} cores, ${machine.memoryGB} GB, ${machine.cpu}, ${machine.os}, Node ${machine.node}; load average ${machine.load.before.join(" ")} before, ${machine.load.after.join(" ")} after; ${RUNS} runs a side after a warm-up, alternated\n`,
  );
  const out = join(ROOT, "bench", "results.json");
  writeFileSync(
    `${out}.tmp`,
    `${JSON.stringify({ date: new Date().toISOString(), machine, runs: RUNS, checks }, null, 2)}\n`,
  );
  renameSync(`${out}.tmp`, out);
  const missed = checks.filter((c) => !met(c));
  if (missed.length > 0) {
    process.stderr.write(
      `\nbudget missed: ${missed.map((c) => `${c.what} (${c.value} ${c.unit}, target ${c.op} ${c.target})`).join("; ")}\n`,
    );
    process.exitCode = 1;
  }
}

main().catch((e: Error) => {
  process.stderr.write(`bench failed: ${e.message}\n`);
  process.exitCode = 1;
});
