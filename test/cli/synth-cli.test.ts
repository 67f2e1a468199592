/** The CLI as a user runs it: spawned, checking exit codes, messages and files. */

import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { base } from "../helpers/configs.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-cli-"));
});
const stackFile = (out = "cdktf.out") => join(dir, out, "stacks", "cloudsmith-log-export", "cdk.tf.json");

describe("conventions", () => {
  it("--help lists the commands and exits 0", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: cloudsmith-log-export/);
    expect(r.stdout).toMatch(/synth/);
  });
  it("synth --help documents a flag for the config fields", async () => {
    const r = await runCli(["synth", "--help"]);
    expect(r.code).toBe(0);
    for (const flag of [
      "--config",
      "--example",
      "--out",
      "--account-id",
      "--bucket",
      "--existing-bucket",
      "--log-types",
      "--client-prefix",
      "--audit-prefix",
      "--role-name",
      "--format",
      "--repositories",
      "--exclude",
      "--external-id",
      "--cloudtrail-mode",
      "--trail-arn",
      "--trail-name",
      "--no-data-events",
      "--kms-key-arn",
      "--expire-after-days",
      "--tag",
      "--backend-s3-bucket",
      "--backend-s3-dynamodb-table",
      "--no-backend-s3-lockfile",
      "--suppress",
      "--organization",
      "--trail-prefix",
      "--trail-bucket",
      "--trail-kms-key-arn",
      "--no-multi-region",
      "--no-versioning",
      "--entire-org",
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });
  it("with an existing trail: no trail created, the data-events selector printed as JSON and Terraform", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-existing-"));
    const arn = "arn:aws:cloudtrail:us-east-1:999988887777:trail/aws-controltower-BaselineCloudTrail";
    const args = ["synth", "--example", "--cloudtrail-mode", "existing", "--trail-arn", arn, "--out", join(dir, "out")];
    // A wide terminal (COLUMNS), so the long notice is on one line to match.
    const r = await runCli(args, { env: { NO_COLOR: "1", COLUMNS: "200" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`No trail is created: verify checks ${arn}`);
    expect(r.stdout).toMatch(/"StartsWith": \[\n\s+"arn:aws:s3:::cloudsmith-acme-logs\/client-logs\/"/);
    expect(r.stdout).toContain('starts_with = ["arn:aws:s3:::cloudsmith-acme-logs/client-logs/"');
    const stack = JSON.parse(
      await readFile(join(dir, "out", "stacks", "cloudsmith-log-export", "cdk.tf.json"), "utf8"),
    );
    expect(stack.resource.aws_cloudtrail).toBeUndefined();
    // The bucket policy grants CloudTrail nothing: the organization's trail delivers elsewhere.
    expect(JSON.stringify(stack.resource.aws_s3_bucket_policy)).not.toContain("cloudtrail.amazonaws.com");
    const json = JSON.parse((await runCli([...args, "--json"])).stdout);
    expect(json.existingTrailSelector.FieldSelectors[2]).toEqual({
      Field: "resources.ARN",
      StartsWith: ["arn:aws:s3:::cloudsmith-acme-logs/client-logs/", "arn:aws:s3:::cloudsmith-acme-logs/audit-logs/"],
    });
    const bad = await runCli(["synth", "--example", "--cloudtrail-mode", "existing", "--out", join(dir, "x")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cloudtrail.trailArn.*mode existing needs the trail's ARN/);
  });

  it("--athena adds the query layer; with an existing trail it needs the trail's bucket, in one line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-athena-"));
    const r = await runCli(["synth", "--example", "--athena", "--out", join(dir, "out")]);
    expect(r.code, r.stderr).toBe(0);
    const stack = JSON.parse(
      await readFile(join(dir, "out", "stacks", "cloudsmith-log-export", "cdk.tf.json"), "utf8"),
    );
    expect(Object.keys(stack.resource.aws_glue_catalog_table).sort()).toEqual([
      "query_audit_logs",
      "query_client_logs",
      "query_cloudtrail_logs",
    ]);
    expect(stack.resource.aws_athena_workgroup.query_workgroup.configuration.enforce_workgroup_configuration).toBe(
      true,
    );
    const arn = "arn:aws:cloudtrail:us-east-1:999988887777:trail/org";
    const bad = await runCli([
      "synth",
      "--example",
      "--athena",
      "--cloudtrail-mode",
      "existing",
      "--trail-arn",
      arn,
      "--out",
      join(dir, "x"),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/query\.athena\.trailBucket.*name the bucket it delivers to/);
  });

  it("--version prints the package version", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(
      JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")).version,
    );
  });
  it("an unknown command or option is a usage error (exit 2)", async () => {
    expect((await runCli(["frobnicate"])).code).toBe(2);
    const r = await runCli(["synth", "--no-such-flag"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--no-such-flag'/);
  });
});

describe("synth", () => {
  it("synthesizes the bundled example and says what to do next", async () => {
    const r = await runCli(["synth", "--example"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Synthesized 9 resources for cloudsmith-acme-logs/);
    // Next steps run from where the user is: terraform -chdir, and verify on the same config.
    expect(r.stdout).toContain("terraform -chdir=cdktf.out/stacks/cloudsmith-log-export init");
    // At 80 columns the apply line breaks after a backslash, never inside the quoted placeholder,
    // so it still pastes into a shell.
    expect(r.stdout).toMatch(/apply -var \\\n\s+cloudsmith_external_id='<the ID Cloudsmith sends>'\n/);
    // Run from a clone, the command that works there: npx (the bare name is not on PATH).
    expect(r.stdout).toMatch(/^ {2}npx cloudsmith-log-export verify --example$/m);
    expect(r.stdout).not.toMatch(/^ {2}cd /m);
    const tf = JSON.parse(await readFile(stackFile(), "utf8"));
    expect(tf.resource.aws_iam_role.cloudsmith_role.name).toBe("CloudsmithLogsWriter");
    expect(existsSync(join(dir, "cdktf.out", "manifest.json"))).toBe(true);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it("reads the default config file, and flags override it", async () => {
    await writeFile(join(dir, "cloudsmith-log-export.json"), JSON.stringify(base));
    const r = await runCli(
      ["synth", "--role-name", "OtherWriter", "--log-types", "client", "--no-data-events", "-o", "tf"],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const tf = JSON.parse(await readFile(stackFile("tf"), "utf8"));
    expect(tf.resource.aws_iam_role.cloudsmith_role.name).toBe("OtherWriter");
    expect(JSON.parse(tf.resource.aws_iam_role_policy.cloudsmith_writer_policy.policy).Statement[0].Resource).toEqual([
      "arn:aws:s3:::cloudsmith-acme-logs/client-logs/*",
    ]);
    expect(tf.resource.aws_cloudtrail.cloudtrail_trail.advanced_event_selector).toHaveLength(1);
    // --no-* flags that were not passed keep the file's values (versioning stays on).
    expect(tf.resource.aws_s3_bucket_versioning).toBeDefined();
  });

  it("flags reach the S3 backend and the suppressions", async () => {
    await writeFile(join(dir, "cloudsmith-log-export.json"), JSON.stringify(base));
    const r = await runCli(
      [
        "synth",
        "--backend-s3-bucket",
        "acme-state",
        "--backend-s3-dynamodb-table",
        "locks",
        "--no-backend-s3-lockfile",
        "--suppress",
        "trail.kms=the organization trail is encrypted",
        "--json",
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const tf = JSON.parse(await readFile(stackFile(), "utf8"));
    expect(tf.terraform.backend.s3).toEqual({
      bucket: "acme-state",
      key: "cloudsmith-log-export/terraform.tfstate",
      region: "us-east-1",
      encrypt: true,
      dynamodb_table: "locks",
    });
    const bad = await runCli(["synth", "--suppress", "trail.kms=short"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/suppressions.0.reason.*at least 10 characters/);
  });

  it("works from flags alone", async () => {
    const r = await runCli(
      [
        "synth",
        "--account-id",
        "000000000042",
        "--region",
        "eu-west-1",
        "--bucket",
        "acme-logs",
        "--log-types",
        "client,audit",
        "--external-id",
        "cs-1",
        "--tag",
        "team=sec",
        "--json",
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({
      resourceCount: 9,
      externalIdVariable: false,
      stackDir: "cdktf.out/stacks/cloudsmith-log-export",
      warnings: [],
    });
    const tf = JSON.parse(await readFile(stackFile(), "utf8"));
    expect(tf.provider.aws[0]).toMatchObject({
      region: "eu-west-1",
      allowed_account_ids: ["000000000042"],
      default_tags: [{ tags: { team: "sec" } }],
    });
  });

  it("rejects a bad config with every error, exit 2, and writes nothing", async () => {
    await writeFile(
      join(dir, "bad.json"),
      JSON.stringify({ ...base, accountId: "12345", bucket: { name: "Bad_Name" }, roleName: "a b" }),
    );
    const r = await runCli(["synth", "--config", "bad.json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('accountId = "12345": an AWS account ID is exactly 12 digits');
    expect(r.stderr).toContain('bucket.name = "Bad_Name": a bucket name uses only lowercase letters');
    expect(r.stderr).toContain('roleName = "a b"');
    expect(r.stderr).toContain("Nothing was written.");
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });

  it("a failed run leaves the previous output and Terraform's own files intact", async () => {
    await writeFile(join(dir, "good.json"), JSON.stringify(base));
    expect((await runCli(["synth", "-c", "good.json"], { cwd: dir })).code).toBe(0);
    const before = await readFile(stackFile(), "utf8");
    const stackDir = join(dir, "cdktf.out", "stacks", "cloudsmith-log-export");
    await mkdir(join(stackDir, ".terraform"));
    await writeFile(join(stackDir, "terraform.tfstate"), "{}");

    expect((await runCli(["synth", "-c", "good.json", "--bucket", "-bad-"], { cwd: dir })).code).toBe(2);
    expect(await readFile(stackFile(), "utf8")).toBe(before);

    // A successful re-run replaces our files but keeps state and .terraform.
    expect((await runCli(["synth", "-c", "good.json", "--role-name", "Renamed"], { cwd: dir })).code).toBe(0);
    expect(await readFile(stackFile(), "utf8")).toContain('"name": "Renamed"');
    expect((await stat(join(stackDir, ".terraform"))).isDirectory()).toBe(true);
    expect(await readFile(join(stackDir, "terraform.tfstate"), "utf8")).toBe("{}");
    expect((await import("node:fs")).readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("missing or malformed config files are usage errors", async () => {
    const missing = await runCli(["synth", "--config", "nope.json"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope.json.*config file not found/);
    await writeFile(join(dir, "broken.json"), "{");
    const broken = await runCli(["synth", "--config", "broken.json"], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/not valid JSON/);
    const both = await runCli(["synth", "--config", "broken.json", "--example"], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --example or --config/);
  });

  it("existing bucket: prints the statements to merge instead of touching its policy", async () => {
    await writeFile(
      join(dir, "c.json"),
      JSON.stringify({ ...base, bucket: { name: "acme-existing", existing: true } }),
    );
    const r = await runCli(["synth", "-c", "c.json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/acme-existing is an existing bucket: its policy was left untouched/);
    expect(r.stdout).toContain('"Sid": "AWSCloudTrailWrite"');
    expect(r.stdout).toContain("arn:aws:s3:::acme-existing/cloudtrail/AWSLogs/123456789012/*");
  });

  it("prints warnings on stderr without failing", async () => {
    const r = await runCli(["synth", "--example", "--bucket", "logs.acme.example"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: bucket.name = "logs.acme.example": dots in a bucket name/);
  });

  it("colours only when asked: NO_COLOR wins, FORCE_COLOR forces", async () => {
    const forced = await runCli(["synth", "--example"], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(forced.stdout).toMatch(/\u001b\[32m/);
    const plain = await runCli(["synth", "--example"], { cwd: dir, env: { NO_COLOR: "1", FORCE_COLOR: "1" } });
    expect(plain.stdout).not.toMatch(/\u001b\[/);
  });
});

describe("cdktf.json", () => {
  it("runs the same stack for the standard CDKTF tooling, byte for byte", async () => {
    const { execFile } = await import("node:child_process");
    const cdktf = JSON.parse(await readFile(new URL("../../cdktf.json", import.meta.url), "utf8"));
    expect(cdktf.app).toBe("node dist/stacks/app.js");
    const root = new URL("../..", import.meta.url).pathname;
    const example = join(root, "examples", "cloudsmith-log-export.example.json");
    // cdktf-cli runs `app` from the project root with CDKTF_OUTDIR set.
    await new Promise<void>((resolve, reject) =>
      execFile(
        "node",
        ["dist/stacks/app.js"],
        {
          cwd: root,
          env: { ...process.env, CDKTF_OUTDIR: join(dir, "via-app"), CLOUDSMITH_LOG_EXPORT_CONFIG: example },
        },
        (e) => (e ? reject(e) : resolve()),
      ),
    );
    expect((await runCli(["synth", "--example", "-o", "via-cli"], { cwd: dir })).code).toBe(0);
    const rel = join("stacks", "cloudsmith-log-export", "cdk.tf.json");
    expect(await readFile(join(dir, "via-app", rel), "utf8")).toBe(await readFile(join(dir, "via-cli", rel), "utf8"));
  });
});

describe("synth --out never replaces what it did not write", () => {
  it("an unrelated manifest.json, or a file where stacks/ goes: exit 2, nothing changed", async () => {
    const out = join(dir, "shared");
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "manifest.json"), '{"stacks":{"someone-elses":{}}}\n');
    const r = await runCli(["synth", "--example", "--out", "shared"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/manifest.json was not written by this tool/);
    expect(await readFile(join(out, "manifest.json"), "utf8")).toBe('{"stacks":{"someone-elses":{}}}\n');
    expect(existsSync(join(out, "stacks"))).toBe(false);

    const other = join(dir, "other");
    await mkdir(other, { recursive: true });
    await writeFile(join(other, "stacks"), "a file, not a folder\n");
    const r2 = await runCli(["synth", "--example", "--out", "other"], { cwd: dir });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/stacks is not a folder/);
    expect(existsSync(join(other, "manifest.json"))).toBe(false);

    // Our own output is ours to replace.
    expect((await runCli(["synth", "--example", "--out", "mine"], { cwd: dir })).code).toBe(0);
    expect((await runCli(["synth", "--example", "--out", "mine"], { cwd: dir })).code).toBe(0);
  });
});
