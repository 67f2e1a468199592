import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildHandoff, renderHandoff } from "../../src/handoff/message.js";
import { runCli } from "../helpers/cli.js";
import { base, configOf } from "../helpers/configs.js";

const scoped = configOf({
  ...base,
  organization: "acme",
  externalId: undefined,
  logTypes: { client: { prefix: "" }, audit: { prefix: "logs/audit" } },
  format: "csv",
  scope: { type: "repositories", repositories: ["prod", "staging"] },
  exclude: ["ip", "geo"],
});

describe("hand-off message", () => {
  it("asks for the External ID with every detail Cloudsmith needs", () => {
    const text = renderHandoff(buildHandoff(scoped), "text");
    for (const line of [
      /for our organization "acme"/,
      /AWS account ID:\s+123456789012/,
      /S3 bucket:\s+cloudsmith-acme-logs/,
      /Client logs \(downloads\):\s+prefix \(bucket root\)/,
      /Audit logs:\s+prefix logs\/audit\//,
      /IAM role name:\s+CloudsmithLogsWriter/,
      /IAM role ARN:\s+arn:aws:iam::123456789012:role\/CloudsmithLogsWriter/,
      /Format:\s+CSV/,
      /Export scope:\s+Repositories: prod, staging/,
      /IP address data:\s+exclude/,
      /Geo data:\s+exclude/,
      /EULA acceptance data:\s+include/,
      /Please send us the External ID/,
    ]) {
      expect(text).toMatch(line);
    }
    expect(text).not.toMatch(/role to assume/);
  });

  it("names the role to assume once the config has the External ID, without printing the ID", () => {
    const cfg = configOf(base);
    const text = renderHandoff(buildHandoff(cfg), "text");
    expect(text).toMatch(/The role to assume: arn:aws:iam::123456789012:role\/CloudsmithLogsWriter/);
    // Never that it is ready: nothing here knows whether it was applied.
    expect(text).not.toMatch(/ready/i);
    expect(text).toMatch(/trusts only Cloudsmith's account \(884446598447\)/);
    for (const format of ["text", "markdown", "json"] as const)
      expect(renderHandoff(buildHandoff(cfg), format)).not.toContain(cfg.externalId);
  });

  it("renders markdown and JSON with the same facts", () => {
    const md = renderHandoff(buildHandoff(scoped), "markdown");
    expect(md).toContain("| IAM role ARN | `arn:aws:iam::123456789012:role/CloudsmithLogsWriter` |");
    const json = JSON.parse(renderHandoff(buildHandoff(scoped), "json"));
    expect(json).toEqual({
      stage: "request",
      organization: "acme",
      accountId: "123456789012",
      bucket: "cloudsmith-acme-logs",
      logTypes: [
        { type: "client", label: "Client logs (downloads)", prefix: "" },
        { type: "audit", label: "Audit logs", prefix: "logs/audit/" },
      ],
      roleName: "CloudsmithLogsWriter",
      roleArn: "arn:aws:iam::123456789012:role/CloudsmithLogsWriter",
      format: { id: "csv", label: "CSV" },
      scope: { type: "repositories", repositories: ["prod", "staging"] },
      include: { eula: true, geo: false, ip: false, namespace: true, repository: true },
    });
  });
});

describe("request and init commands (spawned)", () => {
  it("request prints the hand-off in each format; --stage overrides", async () => {
    const text = await runCli(["request", "--example"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Please send us the External ID/);
    const json = await runCli(["request", "--example", "--format", "json", "--stage", "ready"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ stage: "ready", bucket: "cloudsmith-acme-logs" });
    expect((await runCli(["request", "--example", "--format", "yaml"])).code).toBe(2);
  });

  it("init without a terminal names the missing flags, exits 2 and writes nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-init-cli-"));
    const r = await runCli(["init"], {
      cwd: dir,
      env: {
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONFIG_FILE: "/nonexistent",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
        AWS_ACCESS_KEY_ID: undefined,
        AWS_PROFILE: undefined,
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no terminal to ask in: pass --account-id, --bucket and --yes/);
    expect(existsSync(join(dir, "cloudsmith-log-export.json"))).toBe(false);
  });

  it("init with flags and --yes works in CI", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-init-cli-"));
    const r = await runCli(
      ["init", "--yes", "--account-id", "123456789012", "--bucket", "ci-logs", "--external-id", "cs-ci-1"],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Next: deploy/);
    expect(existsSync(join(dir, "cdktf.out", "stacks", "cloudsmith-log-export", "cdk.tf.json"))).toBe(true);
    // Re-running with a change needs --yes to overwrite without a terminal.
    const again = await runCli(["init", "--role-name", "Changed"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/pass --yes/);
  });
});
