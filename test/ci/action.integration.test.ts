/**
 * The CI integrations as a pipeline runs them: the GitHub Action's script (action/run.sh, what
 * action.yml runs) and the GitLab template's job scripts, each run in bash on the example with the
 * packed tarball, the way a runner would. The YAML files are parsed, and every input the action
 * declares is wired to the script.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const EXAMPLE = join(ROOT, "examples", "cloudsmith-log-export.example.json");
let work: string;
let tarball: string;

async function bash(script: string, cwd: string, env: Record<string, string>) {
  try {
    const r = await run("bash", ["-c", script], { cwd, env: { ...process.env, ...env }, maxBuffer: 32 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "cle-action-"));
  const pack = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: ROOT });
  tarball = join(work, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
}, 120_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** A fresh job folder with the example as the repository's config. */
async function job(name: string, config: object | undefined = undefined): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir);
  if (config) await writeFile(join(dir, "cloudsmith-log-export.json"), JSON.stringify(config));
  else await copyFile(EXAMPLE, join(dir, "cloudsmith-log-export.json"));
  return dir;
}

async function runAction(dir: string, inputs: Record<string, string>) {
  const outputs = join(dir, "github-output");
  await writeFile(outputs, "");
  const env: Record<string, string> = {
    RUNNER_TEMP: join(dir, ".runner"),
    GITHUB_OUTPUT: outputs,
    INPUT_PACKAGE: tarball,
  };
  await mkdir(env.RUNNER_TEMP!, { recursive: true });
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase().replace(/-/g, "_")}`] = v;
  const r = await bash(`bash ${JSON.stringify(join(ROOT, "action", "run.sh"))}`, dir, env);
  const out = Object.fromEntries(
    (await readFile(outputs, "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return { ...r, outputs: out };
}

describe("the GitHub Action", () => {
  it("action.yml declares each input the script reads, and passes each to it", async () => {
    const action = parse(await readFile(join(ROOT, "action.yml"), "utf8"));
    const script = await readFile(join(ROOT, "action", "run.sh"), "utf8");
    const runStep = action.runs.steps.find((s: { id?: string }) => s.id === "run");
    const read = new Set([...script.matchAll(/\$\{(INPUT_[A-Z_]+)/g)].map((m) => m[1]));
    const passed = Object.keys(runStep.env).filter((k) => k.startsWith("INPUT_"));
    expect(new Set(passed)).toEqual(read);
    for (const name of passed) {
      const input = name.slice(6).toLowerCase().replace(/_/g, "-");
      expect(action.inputs, `input ${input}`).toHaveProperty(input);
      expect(runStep.env[name]).toBe(`\${{ inputs.${input} }}`);
    }
    expect(Object.keys(action.outputs).sort()).toEqual(["exit-code", "junit-file", "sarif-file", "stack-dir"]);
  });

  it("synth, then verify-plan on what it wrote: SARIF and JUnit, the exit code as an output", async () => {
    const dir = await job("github");
    const synth = await runAction(dir, { command: "synth" });
    expect(synth.code, synth.stderr).toBe(0);
    expect(synth.outputs).toMatchObject({ "exit-code": "0", "stack-dir": "cdktf.out/stacks/cloudsmith-log-export" });
    const plan = join(synth.outputs["stack-dir"]!, "cdk.tf.json");
    expect(existsSync(join(dir, plan))).toBe(true);

    // The example has no External ID yet: the trust rules cannot decide, so the gate fails.
    const gate = await runAction(dir, { command: "verify-plan", plan });
    expect(gate.code).toBe(1);
    expect(gate.outputs).toMatchObject({
      "exit-code": "1",
      "sarif-file": "cloudsmith-log-export.sarif",
      "junit-file": "cloudsmith-log-export.junit.xml",
    });
    const sarif = JSON.parse(await readFile(join(dir, "cloudsmith-log-export.sarif"), "utf8"));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].automationDetails.id).toBe("cloudsmith-log-export/static/cloudsmith-log-export.json/");
    expect(await readFile(join(dir, "cloudsmith-log-export.junit.xml"), "utf8")).toMatch(/<error /);

    const soft = await runAction(dir, { command: "verify-plan", plan, "fail-on-findings": "false" });
    expect(soft.code).toBe(0);
    expect(soft.outputs["exit-code"]).toBe("1");
  }, 120_000);

  it("a config with the External ID passes the gate; a bad command or a missing plan fails the step (exit 2)", async () => {
    const example = JSON.parse(await readFile(EXAMPLE, "utf8"));
    const dir = await job("github-ok", { ...example, $schema: undefined, externalId: "cs-ext-0123456789" });
    expect((await runAction(dir, { command: "synth" })).code).toBe(0);
    const gate = await runAction(dir, {
      command: "verify-plan",
      plan: "cdktf.out/stacks/cloudsmith-log-export/cdk.tf.json",
      args: "--severity-threshold high",
    });
    expect(gate.code, gate.stdout + gate.stderr).toBe(0);
    expect(gate.outputs["exit-code"]).toBe("0");
    const bad = await runAction(dir, { command: "deploy" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/command: synth, verify-plan or verify, not 'deploy'/);
    const noPlan = await runAction(dir, { command: "verify-plan", plan: "missing.json" });
    expect(noPlan.code).toBe(2);
    expect(noPlan.stderr).toMatch(/plan: no file at missing.json/);
  }, 120_000);
});

describe("the GitHub Action's inputs as GitHub sets them", () => {
  const plan = "cdktf.out/stacks/cloudsmith-log-export/cdk.tf.json";
  // What GitHub passes for a YAML `|` block: one argument per line, a reason with spaces.
  const suppressBoth = [
    "--suppress",
    "trust.external-id=the External ID arrives from Cloudsmith next week",
    "--suppress",
    "trust.cloudsmith-can-assume=decided once the External ID is in",
    "",
  ].join("\n");

  it("args, one per line or as a JSON array: a suppression with a reason in spaces gets through", async () => {
    const dir = await job("github-args");
    expect((await runAction(dir, { command: "synth" })).code).toBe(0);
    const lines = await runAction(dir, { command: "verify-plan", plan, args: suppressBoth });
    expect(lines.code, lines.stderr).toBe(0);
    const json = await runAction(dir, {
      command: "verify-plan",
      plan,
      args: JSON.stringify(suppressBoth.trim().split("\n")),
    });
    expect(json.code, json.stderr).toBe(0);
    const sarif = JSON.parse(await readFile(join(dir, "cloudsmith-log-export.sarif"), "utf8"));
    expect(
      sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "trust.external-id").suppressions[0],
    ).toMatchObject({ justification: "the External ID arrives from Cloudsmith next week" });
    const bad = await runAction(dir, { command: "verify-plan", plan, args: '["--suppress", 5]' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/args: a JSON array of strings/);
  }, 180_000);

  it("after a usage error, no report is an output, so the upload step has nothing to upload", async () => {
    const dir = await job("github-usage");
    expect((await runAction(dir, { command: "synth" })).code).toBe(0);
    // A report from an earlier run in the workspace must not pass for this one's.
    await writeFile(join(dir, "cloudsmith-log-export.sarif"), "{}");
    const r = await runAction(dir, { command: "verify-plan", plan, args: "--no-such-flag" });
    expect(r.code).toBe(2);
    expect(r.outputs["exit-code"]).toBe("2");
    expect(r.outputs).not.toHaveProperty("sarif-file");
    expect(r.outputs).not.toHaveProperty("junit-file");
    expect(existsSync(join(dir, "cloudsmith-log-export.sarif"))).toBe(false);
  }, 120_000);

  it("pinned to a commit SHA: installed from the action's own checkout, never from a release URL built from the SHA", async () => {
    // The action's checkout as a runner has it at $GITHUB_ACTION_PATH (built here, as after npm ci).
    const checkout = join(work, "action-checkout");
    await mkdir(join(checkout, "action"), { recursive: true });
    for (const f of ["package.json", "README.md", "LICENSE", "action/run.sh"])
      await copyFile(join(ROOT, f), join(checkout, f));
    for (const d of ["bin", "dist/bundle", "schema", "examples"]) {
      await mkdir(join(checkout, d, ".."), { recursive: true });
      await run("cp", ["-R", join(ROOT, d), join(checkout, d)]);
    }
    const dir = await job("github-sha");
    const outputs = join(dir, "github-output");
    await writeFile(outputs, "");
    await mkdir(join(dir, ".runner"), { recursive: true });
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const r = await bash(`bash ${JSON.stringify(join(checkout, "action", "run.sh"))}`, dir, {
      RUNNER_TEMP: join(dir, ".runner"),
      GITHUB_OUTPUT: outputs,
      INPUT_COMMAND: "synth",
      ACTION_REPOSITORY: "acme/cloudsmith-log-export",
      ACTION_REF: sha,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`installing from the action's checkout (${sha})`);
    expect(r.stderr).not.toContain(`releases/download/${sha}`);
    expect(existsSync(join(dir, plan))).toBe(true);
  }, 180_000);
});

describe("the GitLab template", () => {
  it("its plan job, run as a runner would, writes the JUnit and Code Quality reports it declares", async () => {
    const template = parse(
      await readFile(join(ROOT, "examples", "ci", "gitlab", "cloudsmith-log-export.gitlab-ci.yml"), "utf8"),
    );
    const base = template[".cloudsmith-log-export"];
    const jobDef = template["cloudsmith-log-export:verify-plan"];
    expect(jobDef.extends).toBe(".cloudsmith-log-export");
    expect(base.artifacts.reports).toEqual({
      junit: "cloudsmith-log-export.junit.xml",
      codequality: "gl-code-quality-report.json",
    });
    expect(template["cloudsmith-log-export:drift-check"].script.join("\n")).toMatch(/--delivery --integrity/);

    const dir = await job("gitlab");
    const synth = await runAction(dir, { command: "synth" });
    expect(synth.code).toBe(0);
    await copyFile(join(dir, "cdktf.out/stacks/cloudsmith-log-export/cdk.tf.json"), join(dir, "plan.json"));
    const script = [...base.before_script, ...jobDef.script].join("\n");
    const r = await bash(script, dir, {
      ...template.variables,
      CLOUDSMITH_LOG_EXPORT_PACKAGE: tarball,
      CI_PROJECT_DIR: dir,
    });
    // The example's undecidable trust rules fail the job, and the reports are there for GitLab.
    expect(r.code).toBe(1);
    expect(await readFile(join(dir, base.artifacts.reports.junit), "utf8")).toMatch(
      /<testsuite name="cloudsmith-log-export.verify" /,
    );
    const issues = JSON.parse(await readFile(join(dir, base.artifacts.reports.codequality), "utf8"));
    expect(issues.find((i: { check_name: string }) => i.check_name === "trust.external-id")).toMatchObject({
      severity: "major",
      // In the repository's config, which the Merge Request diff shows; not the generated plan.
      location: { path: "cloudsmith-log-export.json" },
    });
  }, 120_000);
});
