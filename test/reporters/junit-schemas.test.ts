/**
 * The JUnit report against the schemas of the consumers that read it, with xmllint: the Jenkins
 * xUnit plugin's junit-10.xsd and Maven Surefire's surefire-test-report-3.0.xsd (vendored in
 * test/fixtures/junit with their licences). Both a real run on the bundled example and reports
 * holding every status, several configs and hostile text must validate.
 */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import type { Result } from "../../src/engine/evaluate.js";
import { renderReports } from "../../src/engine/report/index.js";
import { CATALOG } from "../../src/verify/run-many.js";
import { runCli } from "../helpers/cli.js";

const SCHEMAS = {
  jenkins: fileURLToPath(new URL("../fixtures/junit/jenkins-junit-10.xsd", import.meta.url)),
  surefire: fileURLToPath(new URL("../fixtures/junit/surefire-test-report-3.0.xsd", import.meta.url)),
};

let dir: string;
beforeAll(async () => {
  // Never skipped: without xmllint (Debian libxml2-utils) this fails, saying what to install.
  await promisify(execFile)("xmllint", ["--version"]).catch(() => {
    throw new Error("xmllint is not on PATH: install libxml2-utils (.ci/run does)");
  });
  dir = await mkdtemp(join(tmpdir(), "cle-junit-"));
});

/** xmllint's verdict for each schema: "" when the file validates, else its complaints. */
async function validate(xml: string): Promise<Record<keyof typeof SCHEMAS, string>> {
  const file = join(dir, `report-${Math.random().toString(36).slice(2)}.xml`);
  await writeFile(file, xml);
  const out = {} as Record<keyof typeof SCHEMAS, string>;
  for (const [name, xsd] of Object.entries(SCHEMAS) as Array<[keyof typeof SCHEMAS, string]>) {
    out[name] = await promisify(execFile)("xmllint", ["--noout", "--schema", xsd, file]).then(
      () => "",
      (e: { stderr: string }) => e.stderr,
    );
  }
  return out;
}

const result = (status: Result["status"], extra: Partial<Result> = {}): Result => ({
  ruleId: "bucket.private",
  title: "Only the role writes",
  severity: "high",
  status,
  resource: "s3://b",
  message: `${status} message`,
  durationMs: 1.23456,
  ...extra,
});

describe("JUnit against the Jenkins and Surefire schemas", () => {
  it("verify on the bundled example (static): valid for both", async () => {
    await runCli(["synth", "--example", "-o", "out"], { cwd: dir });
    const r = await runCli(["verify", "--example", "--static", "out", "--output", "junit"], { cwd: dir });
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(await validate(r.stdout)).toEqual({ jenkins: "", surefire: "" });
  }, 120_000);

  it("every status, several configs, and text with quotes, angle brackets and controls: valid for both", async () => {
    const results = [
      result("PASS"),
      result("FAIL", { message: 'a "quoted" <tag> & \u001b[31mred\u0007' }),
      result("ERROR", { resource: "-" }),
      result("SKIPPED"),
      result("ADVICE", { severity: "info" }),
    ];
    const reports = [
      { source: "AWS", kind: "live" as const, config: "accounts/a.json", exitCode: 1, results, durationMs: 1234.4 },
      { source: "AWS", kind: "live" as const, config: "accounts/b <&>.json", exitCode: 1, results },
    ];
    const xml = renderReports(reports, "junit", CATALOG);
    expect(await validate(xml)).toEqual({ jenkins: "", surefire: "" });
    expect(xml).toContain('tests="10" failures="2" errors="2" skipped="4" time="1.234"');
    expect(xml).toContain('time="0.001"');
    expect(xml).toContain("\\x1b[31mred\\x07");
    expect(xml).toContain("[accounts/b &lt;&amp;&gt;.json]");
  });

  it("the judge can fail: the report of the previous release (a <testsuites> root with skipped) is refused by both", async () => {
    const old =
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="x" tests="1" failures="0" errors="0" skipped="1">\n  <testsuite name="x.a" tests="1" failures="0" errors="0" skipped="1">\n    <testcase classname="x.a" name="t"><skipped message="m"/></testcase>\n  </testsuite>\n</testsuites>\n';
    const verdict = await validate(old);
    expect(verdict.jenkins).toMatch(/attribute 'skipped' is not allowed/);
    expect(verdict.surefire).toMatch(/No matching global declaration available for the validation root/);
  });
});
