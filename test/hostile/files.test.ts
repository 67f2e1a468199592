/**
 * Hostile files, as a user or a broken CI step hands them over: every one is exit 2 with one
 * line naming the path and the problem (the field, the line), never an internal error, a stack
 * trace, a silent last-one-wins, or a run that reads as if the file were fine.
 */
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, runCliMeasured } from "../helpers/cli.js";
import { base } from "../helpers/configs.js";

let dir: string;
const CONFIG = base;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-hostile-files-"));
  await writeFile(join(dir, "config.json"), JSON.stringify(CONFIG));
});

/** The run ended with exit 2 and exactly one line on stderr, naming `path`. */
function oneLine(r: { code: number | null; stderr: string; stdout: string }, path: string, problem: RegExp) {
  expect(r.stderr).not.toMatch(/internal error| {4}at /);
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(path);
  expect(lines[0]).toMatch(problem);
  expect(r.stdout).toBe("");
}

const staticRun = (file: string) => runCli(["verify", "-c", "config.json", "--static", file], { cwd: dir });

describe("verify --static on a file that is not a stack or a plan", () => {
  const cases: Array<[string, string | Buffer, RegExp]> = [
    [
      "truncated.json",
      '{"resource": {"aws_s3_bucket": {',
      /line 1, column \d+: '}' was expected \(is the file cut short\?\)/,
    ],
    ["empty.json", "", /the file is empty/],
    ["page.json", "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", /an HTML or XML page, not JSON/],
    [
      "other.json",
      '{"name": "some-package", "version": "1.0.0"}',
      /neither Terraform JSON .* nor `terraform show -json` plan output/,
    ],
    ["null.json", "null", /not Terraform JSON/],
    ["array.json", "[1, 2]", /not Terraform JSON/],
    ["deep.json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`, /nested deeper than 256 levels/],
    ["latin1.json", Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]), /not valid UTF-8 at line 1, column 3/],
    [
      "future.json",
      JSON.stringify({ format_version: "9.0", planned_values: { root_module: {} } }),
      /format_version: is not a plan JSON format this tool reads/,
    ],
    [
      "resources-null.json",
      JSON.stringify({ format_version: "1.2", planned_values: { root_module: { resources: null } } }),
      /planned_values\.root_module\.resources: must be array/,
    ],
    [
      "child-modules-number.json",
      JSON.stringify({ format_version: "1.2", planned_values: { root_module: { child_modules: 5 } } }),
      /planned_values\.root_module\.child_modules: must be array/,
    ],
    [
      "values-string.json",
      JSON.stringify({
        format_version: "1.2",
        planned_values: {
          root_module: { resources: [{ address: "aws_s3_bucket.b", type: "aws_s3_bucket", name: "b", values: "x" }] },
        },
      }),
      /planned_values\.root_module\.resources\.0\.values: must be object/,
    ],
    [
      "resource-null.json",
      JSON.stringify({ resource: { aws_s3_bucket: { b: null } } }),
      /resource\.aws_s3_bucket\.b: must be object/,
    ],
  ];
  for (const [name, content, problem] of cases) {
    it(`${name}: exit 2, one line`, async () => {
      await writeFile(join(dir, name), content);
      oneLine(await staticRun(name), name, problem);
    });
  }

  it("a directory where cdk.tf.json should be, a symlink loop, a device", async () => {
    await mkdir(join(dir, "out", "cdk.tf.json"), { recursive: true });
    oneLine(await staticRun("out"), "cdk.tf.json", /a directory/);
    await mkdir(join(dir, "empty-out"), { recursive: true });
    oneLine(await staticRun("empty-out"), "empty-out", /a directory with no cdk\.tf\.json/);
    await symlink("loop-b", join(dir, "loop-a"));
    await symlink("loop-a", join(dir, "loop-b"));
    oneLine(await staticRun("loop-a"), "loop-a", /no such file or folder|too many symbolic links/);
    oneLine(await staticRun("/dev/zero"), "/dev/zero", /a device \(like \/dev\/zero\), not a file/);
  });

  it("a 150 MB plan is refused by its size before it is read, within the memory budget", async () => {
    const big = join(dir, "huge-plan.json");
    // Sparse: the size is what matters; a reader that read it would need far more than 200 MB.
    const { open } = await import("node:fs/promises");
    const h = await open(big, "w");
    await h.truncate(150 * 2 ** 20);
    await h.close();
    const r = await runCliMeasured(["verify", "-c", "config.json", "--static", "huge-plan.json"], { cwd: dir });
    oneLine(r, "huge-plan.json", /150 MiB, larger than the 12 MiB this tool reads/);
    expect(r.maxRssMiB).toBeLessThan(200);
  });
});

describe("config files", () => {
  const run = (file: string) => runCli(["verify", "-c", file, "--static", "nope"], { cwd: dir });

  it("a key given twice is refused, naming both lines, never resolved to the last one", async () => {
    await writeFile(
      join(dir, "twice.json"),
      '{\n  "accountId": "123456789012",\n  "region": "us-east-1",\n  "accountId": "210987654321",\n  "bucket": {"name": "b"}\n}\n',
    );
    const r = await run("twice.json");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the key "accountId" appears twice in one object (lines 2 and 4)');
  });

  it("the External ID given twice, nested: refused", async () => {
    await writeFile(
      join(dir, "twice-nested.json"),
      JSON.stringify(CONFIG).replace(
        '"region"',
        '"externalId":"a-very-long-id-1","externalId":"a-very-long-id-2","region"',
      ),
    );
    const r = await run("twice-nested.json");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the key "externalId" appears twice/);
  });

  it("// comments: the line and column, and what to do", async () => {
    await writeFile(join(dir, "comments.json"), '{\n  // our account\n  "accountId": "123456789012"\n}\n');
    const r = await run("comments.json");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not valid JSON at line 2, column 3: comments (// or /* */) are not allowed in JSON");
  });

  it("the JSON null, a list, /dev/zero: exit 2, one clear line each", async () => {
    await writeFile(join(dir, "null-config.json"), "null");
    expect((await run("null-config.json")).stderr).toContain("must be a JSON object {...}, not null");
    await writeFile(join(dir, "list-config.json"), "[]");
    expect((await run("list-config.json")).stderr).toContain("must be a JSON object {...}, not a list");
    const zero = await runCliMeasured(["verify", "-c", "/dev/zero", "--static", "nope"], { cwd: dir });
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("a device (like /dev/zero), not a file");
    expect(zero.maxRssMiB).toBeLessThan(200);
  });

  it("a suppression for rule '*' is refused; one naming no rule is refused", async () => {
    await writeFile(
      join(dir, "star.json"),
      JSON.stringify({ ...CONFIG, suppressions: [{ rule: "*", reason: "we accept every risk here" }] }),
    );
    const star = await run("star.json");
    expect(star.code).toBe(2);
    expect(star.stderr).toMatch(/suppressions\.0\.rule = "\*": a suppression names one rule by its id/);
    await writeFile(
      join(dir, "typo.json"),
      JSON.stringify({
        ...CONFIG,
        suppressions: [{ rule: "trust.extrenal-id", reason: "accepted by the security team" }],
      }),
    );
    const typo = await runCli(["verify", "-c", "typo.json", "--static", "nope"], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("suppressions: no rule 'trust.extrenal-id'");
    const flag = await runCli(
      ["verify", "-c", "config.json", "--static", "nope", "--suppress", "*=because we said so"],
      {
        cwd: dir,
      },
    );
    expect(flag.code).toBe(2);
  });

  it("escape sequences in a config's file name reach stderr escaped, in a folder listing too", async () => {
    const evil = "evil\u001b]0;pwned\u0007\u001b[31m.json";
    await writeFile(join(dir, evil), "{ not json");
    const r = await runCli(["verify", "-c", evil, "--static", "nope"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/[\u0007\u001b]/);
    expect(r.stderr).toContain("evil\\u001b]0;pwned\\u0007\\u001b[31m.json");
    const folder = join(dir, "folder");
    await mkdir(folder);
    await writeFile(join(folder, evil), "{ not json");
    await writeFile(join(folder, "ok.json"), JSON.stringify(CONFIG));
    const listed = await runCli(["verify", "-c", "folder", "--static", "nope"], { cwd: dir });
    expect(listed.stderr).toContain("skipped folder/evil\\x1b]0;pwned\\x07\\x1b[31m.json");
    expect(listed.stderr).not.toMatch(/[\u0007\u001b]/);
  });
});

describe("audit-log pull --state", () => {
  it("a state file that is /dev/zero: exit 2 naming it, within the memory budget", async () => {
    const r = await runCliMeasured(
      ["audit-log", "pull", "--org", "acme", "--state", "/dev/zero", "--out", join(dir, "events.jsonl")],
      { cwd: dir, env: { CLOUDSMITH_API_KEY: "0123456789abcdef", CLOUDSMITH_API_URL: "http://127.0.0.1:9" } },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--state /dev/zero: a device (like /dev/zero), not a file");
    expect(r.maxRssMiB).toBeLessThan(200);
  });
});
