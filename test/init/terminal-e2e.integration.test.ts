/** `init` in a real pseudo-terminal (tmux): keys typed as a person would, then the files checked. */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { TmuxSession } from "../helpers/tmux.js";
import { FROM_BUCKET } from "../helpers/wizard-questions.js";

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
    for (const q of FROM_BUCKET.slice(FROM_BUCKET.findIndex((q) => q.source.startsWith("Name of the IAM role")))) {
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

  it.each([100, 60])(
    "at %i columns: the console's account ID form is accepted, the way back from 'Which answer?', and every line the tool writes fits",
    async (width) => {
      const dir = await mkdtemp(join(tmpdir(), "cle-tty-"));
      session = await TmuxSession.start(`${process.execPath} ${BIN} init`, { cwd: dir, env, width });
      const s = session;
      await s.waitFor(/Cloudsmith organization slug/);
      await s.type("acme");
      await s.keys("Enter");
      await s.waitFor(/AWS account ID/);
      await s.type("1234-5678-9012"); // as the AWS console shows it
      await s.keys("Enter");
      await s.waitFor(/AWS region/);
      await s.keys("Enter");
      for (const q of FROM_BUCKET) {
        await s.waitFor(q);
        await s.keys("Enter");
      }
      let review = await s.waitFor(/Write the config and generate Terraform/);
      expect(review).toMatch(/AWS account ID\s+123456789012/);
      // "Change an answer", then straight back to the review without changing anything.
      await s.keys("Down", "Enter");
      await s.waitFor(/Which answer\?/);
      await s.keys("Up", "Enter"); // the last entry: back to the review
      review = await s.waitFor(/Back to the review[\s\S]*Write the config and generate Terraform/);
      await s.keys("Enter");
      const final = await s.waitFor(/When Cloudsmith replies with the External ID/);
      expect(await s.exitCode()).toBe(0);
      // capture-pane -J joins lines the terminal cut: every joined line still fits, so the tool
      // wrapped them itself, between words.
      const joined = (await s.screen()).split("\n");
      const wide = joined.filter((l) => [...l].length > width);
      expect(wide).toEqual([]);
      // The printed apply command keeps its placeholder whole, and names the form that works here.
      expect(final).toContain("cloudsmith_external_id='<the ID Cloudsmith sends>'");
      expect(final).toMatch(/npx\s+cloudsmith-log-export\s+init/);
      const config = JSON.parse(readFileSync(join(dir, "cloudsmith-log-export.json"), "utf8"));
      expect(config.accountId).toBe("123456789012");
      expect(typeof config.$schema).toBe("string");
    },
    90_000,
  );

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
