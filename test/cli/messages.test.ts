/**
 * Messages a user can act on, through the spawned CLI: one line and the right exit code for every
 * usage, config, file and credentials problem; next steps that work when followed; output that
 * fits 80 columns.
 */

import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { reportError } from "../../src/cli/main.js";
import { enableDebug } from "../../src/util/debug.js";
import { runCli } from "../helpers/cli.js";
import { base } from "../helpers/configs.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-msg-"));
});
const lines = (s: string) => s.split("\n").filter((l) => l !== "");
const withConfig = () => writeFile(join(dir, "cloudsmith-log-export.json"), JSON.stringify(base, null, 2));

describe("no config", () => {
  it.each([["verify"], ["request"], ["verify", "--static"]])(
    "%s: one line naming where it looked, exit 2",
    async (...cmd) => {
      const r = await runCli(cmd, { cwd: dir });
      expect(r.code).toBe(2);
      expect(lines(r.stderr)).toEqual([
        "cloudsmith-log-export: no config found (looked for cloudsmith-log-export.json here): run `init`, or pass --config FILE (or set CLOUDSMITH_LOG_EXPORT_CONFIG) or --example",
      ]);
    },
  );
});

describe("file problems are the user's input (exit 2, one line), never a crash", () => {
  it("verify --static on a missing file or before synth", async () => {
    await withConfig();
    const missing = await runCli(["verify", "--static", "nope.json"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual([
      "cloudsmith-log-export: --static nope.json: no such file or folder (run `synth` first, or give the plan: terraform show -json tfplan > plan.json)",
    ]);
    const noSynth = await runCli(["verify", "--static"], { cwd: dir });
    expect(noSynth.code).toBe(2);
    expect(noSynth.stderr).toMatch(/^cloudsmith-log-export: --static cdktf.out: no such file or folder/);
  });

  it("synth --out onto a file, and an --output-file that cannot be written", async () => {
    await withConfig();
    await writeFile(join(dir, "a-file"), "x");
    const out = await runCli(["synth", "--out", "a-file"], { cwd: dir });
    expect(out.code).toBe(2);
    expect(lines(out.stderr)).toHaveLength(1);
    expect(out.stderr).toMatch(/a-file is a file, not a folder/);
    const synth = await runCli(["synth"], { cwd: dir });
    expect(synth.code).toBe(0);
    const report = await runCli(["verify", "--static", "--output", "sarif", "--output-file", "a-file/verify.sarif"], {
      cwd: dir,
    });
    expect(report.code).toBe(2);
    expect(lines(report.stderr)).toEqual([
      "cloudsmith-log-export: cannot write a-file: a file is in the way of that folder",
    ]);
  });

  it("a bug is exit 3 with one line and a hint; the stack only with --debug", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(reportError(new TypeError("x is not a function"))).toBe(3);
      const said = write.mock.calls.map((c) => String(c[0])).join("");
      expect(said).toBe(
        "cloudsmith-log-export: internal error: x is not a function\n(a bug: run again with --debug for the stack trace, and report it)\n",
      );
      write.mockClear();
      enableDebug();
      reportError(new TypeError("x is not a function"));
      expect(write.mock.calls.map((c) => String(c[0])).join("")).toMatch(/TypeError: x is not a function\n\s+at /);
    } finally {
      write.mockRestore();
    }
  });
});

describe("credentials, checked once before reading anything", () => {
  /** An environment with no credentials anywhere: no keys, empty AWS files, no instance metadata. */
  async function bare(): Promise<Record<string, string | undefined>> {
    const empty = join(dir, "empty-aws-file");
    await writeFile(empty, "");
    return {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_CONFIG_FILE: empty,
      AWS_SHARED_CREDENTIALS_FILE: empty,
      AWS_EC2_METADATA_DISABLED: "true",
    };
  }

  it("none at all: one line naming the chain and --profile, exit 2", async () => {
    await withConfig();
    const r = await runCli(["verify", "--endpoint-url", "http://127.0.0.1:9"], { cwd: dir, env: await bare() });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      "cloudsmith-log-export: no AWS credentials: looked in the environment (AWS_ACCESS_KEY_ID), AWS_PROFILE or --profile, ~/.aws, SSO and the instance or container role; pass --profile, or check a plan with --static",
    ]);
    expect(r.stdout).toBe("");
  });

  it("an unknown --profile: one line naming the profile, exit 2", async () => {
    await withConfig();
    const r = await runCli(["verify", "--profile", "nope", "--endpoint-url", "http://127.0.0.1:9"], {
      cwd: dir,
      env: await bare(),
    });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      "cloudsmith-log-export: AWS profile 'nope' was not found in ~/.aws/config or ~/.aws/credentials (from --profile)",
    ]);
  });
});

describe("config errors a person can fix", () => {
  it("a misspelt field gets 'did you mean', a number where text belongs a plain message", async () => {
    await writeFile(
      join(dir, "c.json"),
      JSON.stringify({ ...base, accountId: 123456789012, cloudtrail: { multiregion: false }, encrytion: {} }, null, 2),
    );
    const r = await runCli(["synth", "-c", "c.json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'accountId = 123456789012: must be text in quotes, e.g. "012345678901" (as a number, leading zeros are lost), not the number 123456789012',
    );
    expect(r.stderr).toContain("cloudtrail: unknown field 'multiregion' (did you mean 'multiRegion'?)");
    expect(r.stderr).toContain("(config): unknown field 'encrytion' (did you mean 'encryption'?)");
    expect(r.stderr).not.toMatch(/Invalid input|expected string, received/);
    expect(r.stderr).toMatch(/Nothing was written\.\n$/);
  });

  it("a JSON syntax error gives the line and column", async () => {
    await writeFile(
      join(dir, "c.json"),
      '{\n  "accountId": "123456789012",\n  "region": "us-east-1"\n  "bucket": {}\n}\n',
    );
    const r = await runCli(["verify", "-c", "c.json", "--static"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not valid JSON at line 4, column 3: ',' was expected/);
    // verify never writes: it does not say that nothing was written.
    expect(r.stderr).not.toMatch(/Nothing was written/);
  });
});

describe("audit-log", () => {
  it("without a subcommand: usage, exit 2", async () => {
    const r = await runCli(["audit-log"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: cloudsmith-log-export audit-log/);
  });

  it("an unreachable API fails in seconds, naming the host and the cause", async () => {
    const t0 = Date.now();
    const r = await runCli(["audit-log", "pull", "--org", "acme", "--api-url", "http://127.0.0.1:9"], {
      cwd: dir,
      env: { CLOUDSMITH_API_KEY: "k" },
    });
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(r.code).not.toBe(0);
    expect(lines(r.stderr)).toEqual([
      "cloudsmith-log-export: the Cloudsmith API at 127.0.0.1:9 could not be reached after 2 attempts: the connection was refused (nothing listens there, or a firewall) (ECONNREFUSED). Nothing was written.",
    ]);
  });
});

describe("next steps, followed literally", () => {
  it("terraform -chdir points at the stack; verify finds the config from the project and from the stack", async () => {
    await withConfig();
    const synth = await runCli(["synth"], { cwd: dir });
    const steps = synth.stdout.slice(synth.stdout.indexOf("Next:"));
    const chdir = /terraform -chdir=(\S+) init/.exec(steps)?.[1];
    expect(chdir).toBe("cdktf.out/stacks/cloudsmith-log-export");
    expect(await readFile(join(dir, chdir!, "cdk.tf.json"), "utf8")).toContain('"aws_iam_role"');
    expect(steps).toMatch(/^ {2}npx cloudsmith-log-export verify +# prove the deployment is right$/m);
    // The same verify, on the stack instead of AWS, from the project folder and from the stack folder.
    const here = await runCli(["verify", "--static"], { cwd: dir });
    expect(here.code).toBe(0);
    const inStack = await runCli(["verify", "--static", "cdk.tf.json"], { cwd: join(dir, chdir!) });
    expect(inStack.code).toBe(0);
    expect(inStack.stderr).toBe(
      "using ../../../cloudsmith-log-export.json (the project this stack was synthesized in)\n",
    );
  });

  it("with another config file, the printed verify and request pass it", async () => {
    await mkdir(join(dir, "cfg"));
    await writeFile(join(dir, "cfg", "prod.json"), JSON.stringify({ ...base, externalId: undefined }));
    // A wide terminal, so the comment naming `request` stays on one line to match.
    const synth = await runCli(["synth", "-c", "cfg/prod.json"], { cwd: dir, env: { COLUMNS: "200" } });
    expect(synth.stdout).toMatch(/^ {2}npx cloudsmith-log-export verify --config cfg\/prod.json$/m);
    expect(synth.stdout).toMatch(/npx cloudsmith-log-export request --config cfg\/prod.json/);
  });
});

describe("output that fits 80 columns when it is not a terminal", () => {
  it.each([[["synth", "--example"]], [["verify", "--static", "--example"]], [["verify", "--list-rules"]]])(
    "%j",
    async (cmd) => {
      if (cmd[1] === "--static") await runCli(["synth", "--example"], { cwd: dir });
      const r = await runCli(cmd, { cwd: dir });
      const wide = r.stdout.split("\n").filter((l) => [...l].length > 80);
      expect(wide).toEqual([]);
    },
  );
});

describe("the synth page's examples are the real output", () => {
  const readme = readFileSync(join(import.meta.dirname, "..", "..", "docs", "commands", "synth.md"), "utf8");
  /** The text block the page shows for a command: the lines after `$ <command>` up to the fence. */
  const shown = (command: string): string => {
    const start = readme.indexOf(`\`\`\`text\n$ ${command}\n`);
    if (start < 0) throw new Error(`docs/commands/synth.md shows no output for ${command}`);
    const from = start + `\`\`\`text\n$ ${command}\n`.length;
    return readme.slice(from, readme.indexOf("```", from));
  };

  it.each([
    ["npx cloudsmith-log-export synth --example", ["synth", "--example"], "stdout"],
    [
      'npx cloudsmith-log-export synth --example --bucket Bad_Bucket --account-id 12 --role-name "x y"',
      ["synth", "--example", "--bucket", "Bad_Bucket", "--account-id", "12", "--role-name", "x y"],
      "stderr",
    ],
  ] as const)("%s", async (command, args, stream) => {
    const r = await runCli([...args], { cwd: dir });
    expect(r[stream]).toBe(shown(command));
  });
});

describe("a closed pipe", () => {
  it("output piped into `head` that closes early ends quietly: no EPIPE stack trace", async () => {
    const { spawn } = await import("node:child_process");
    const { BIN } = await import("../helpers/cli.js");
    await runCli(["synth", "--example"], { cwd: dir });
    // About 90 KB of SARIF: more than a pipe holds, so the writer is still writing when the reader leaves.
    const child = spawn(process.execPath, [BIN, "verify", "--static", "--example", "--output", "sarif"], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.destroy(); // the reader is gone before the first write, as after `| head -c 0`
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|\bat /);
    expect([0, 1]).toContain(code); // the run's own exit code (the example has findings), not a crash
  });
});

describe("verify's AWS client region", () => {
  it("is --aws-region; the old --region still works for one release, with a warning naming the new flag", async () => {
    await runCli(["synth", "--example"], { cwd: dir });
    const now = await runCli(["verify", "--static", "--example", "--aws-region", "eu-west-1"], { cwd: dir });
    const old = await runCli(["verify", "--static", "--example", "--region", "eu-west-1"], { cwd: dir });
    expect(now.stderr).toBe("");
    expect(old.stderr).toMatch(/warning: verify --region is now --aws-region/);
    expect(old.code).toBe(now.code);
    expect(old.stdout).toBe(now.stdout);
    const both = await runCli(
      ["verify", "--static", "--example", "--region", "eu-west-1", "--aws-region", "us-east-1"],
      {
        cwd: dir,
      },
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--region and --aws-region disagree/);
  });
});

describe("a password in --endpoint-url", () => {
  it("never reaches the report: the heading shows the host with the credentials replaced", async () => {
    await runCli(["synth", "--example"], { cwd: dir });
    const r = await runCli(
      [
        "verify",
        "--example",
        "--endpoint-url",
        "http://admin:s3cr3t-pw@127.0.0.1:9",
        "--aws-timeout",
        "1",
        "--deadline",
        "20s",
      ],
      { cwd: dir, env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1" } },
    );
    expect(`${r.stdout}${r.stderr}`).not.toContain("s3cr3t-pw");
    expect(r.stdout).toContain("AWS API at http://***@127.0.0.1:9");
  });
});
