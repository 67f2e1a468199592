/** `init` in a real pseudo-terminal (tmux): keys typed as a person would, then the files checked. */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { TmuxSession } from "../helpers/tmux.js";

let session: TmuxSession | undefined;
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

// No credentials and no metadata service: the account prefill must give up quietly.
const env = {
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_ACCESS_KEY_ID: "",
  AWS_SECRET_ACCESS_KEY: "",
  AWS_PROFILE: "",
  AWS_REGION: "",
  AWS_CONFIG_FILE: "/nonexistent",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
};

describe("init in a terminal", () => {
  it("goes from nothing to a config, Terraform and the request for Cloudsmith", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-tty-"));
    session = await TmuxSession.start(`${process.execPath} ${BIN} init`, { cwd: dir, env });
    const s = session;
    await s.waitFor(/Cloudsmith organization slug/);
    await s.type("acme");
    await s.keys("Enter");
    await s.waitFor(/AWS account ID/);
    await s.type("123456789012");
    await s.keys("Enter");
    await s.waitFor(/AWS region/);
    await s.keys("Enter");
    await s.waitFor(/Bucket for the exports/);
    await s.keys("Enter");
    await s.waitFor(/Name for the new bucket.*cloudsmith-acme-logs/);
    await s.keys("Enter");
    await s.waitFor(/Which logs should Cloudsmith export/);
    await s.keys("Down", "Space", "Enter"); // untick audit logs
    await s.waitFor(/Prefix \(folder\) for client logs/);
    await s.keys("Enter");
    for (const q of [
      /Name of the IAM role/,
      /Export format/,
      /What should be exported/,
      /Which optional data/,
      /External ID from Cloudsmith/,
      /Audit trail for CodeArtifact/,
      /Trail name/,
      /Record S3 data events/,
      /Record all regions/,
      /Bucket encryption/,
      /Add an Athena query layer/,
    ]) {
      await s.waitFor(q);
      await s.keys("Enter");
    }
    const review = await s.waitFor(/Write the config and generate Terraform/);
    expect(review).toMatch(/Client logs \(downloads\)\s+client-logs\//);
    await s.keys("Enter");
    const final = await s.waitFor(/When Cloudsmith replies with the External ID/);
    expect(await s.exitCode()).toBe(0);
    expect(final).toMatch(/Synthesized 9 resources/);
    expect(final).toMatch(/Please send us the External ID/);

    const config = JSON.parse(readFileSync(join(dir, "cloudsmith-log-export.json"), "utf8"));
    expect(config).toMatchObject({
      organization: "acme",
      accountId: "123456789012",
      bucket: { name: "cloudsmith-acme-logs" },
      logTypes: { client: { prefix: "client-logs" } },
    });
    expect(config.logTypes.audit).toBeUndefined();
    const tf = JSON.parse(
      readFileSync(join(dir, "cdktf.out", "stacks", "cloudsmith-log-export", "cdk.tf.json"), "utf8"),
    );
    expect(JSON.parse(tf.resource.aws_iam_role_policy.cloudsmith_writer_policy.policy).Statement[0].Resource).toEqual([
      "arn:aws:s3:::cloudsmith-acme-logs/client-logs/*",
    ]);
  });

  it("Ctrl+C exits 130 and writes nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-tty-"));
    session = await TmuxSession.start(`${process.execPath} ${BIN} init`, { cwd: dir, env });
    await session.waitFor(/Cloudsmith organization slug/);
    await session.keys("C-c");
    expect(await session.exitCode()).toBe(130);
    expect(await session.screen()).toMatch(/Cancelled; nothing was written/);
    expect(existsSync(join(dir, "cloudsmith-log-export.json"))).toBe(false);
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });
});
