/**
 * verify against what Terraform really deployed on the local emulator: the
 * clean deployment passes, every mutation of the deployed state (made with the
 * SDK, then undone) fails the rule it should, and failed reads are ERROR.
 */

import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CloudTrailClient,
  GetEventSelectorsCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import {
  GetBucketPolicyCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketRequestPaymentCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELIVERY_RULES } from "../../src/checks/delivery/rules/index.js";
import { INTEGRITY_RULES } from "../../src/checks/integrity/rules/index.js";
import { exitCodeFor, type Result } from "../../src/engine/evaluate.js";
import type { PolicyDocument } from "../../src/iam/policies/types.js";
import { collectFacts, verifyFacts } from "../../src/verify/run-one.js";
import { runCli } from "../helpers/cli.js";
import { base, configOf, variants } from "../helpers/configs.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";
import { synthVariant } from "../helpers/synth.js";
import { terraform, terraformInit, writeEmulatorOverride } from "../helpers/terraform.js";

const cfg = configOf(variants.default!);
const ROLE = cfg.roleName;
const BUCKET = cfg.bucket.name;
const TRAIL = cfg.cloudtrail.name;
const creds = { accessKeyId: "test", secretAccessKey: "test" };

let emulator: Emulator;
let dir: string;
let iam: IAMClient;
let s3: S3Client;
let trail: CloudTrailClient;
let original: { trust: PolicyDocument; writer: string; bucketPolicy: string; selectors: unknown };

async function verifyAt(endpointUrl: string): Promise<Result[]> {
  const facts = await collectFacts(cfg, { aws: { endpointUrl, credentials: creds } });
  return verifyFacts(facts);
}
const statusOf = (results: Result[], id: string) => results.filter((r) => r.ruleId === id).map((r) => r.status);

beforeAll(async () => {
  emulator = await startEmulator();
  const clientConfig = { endpoint: emulator.endpoint, region: "us-east-1", credentials: creds };
  iam = new IAMClient(clientConfig);
  s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
  trail = new CloudTrailClient(clientConfig);
  const { result } = await synthVariant(variants.default!);
  await writeEmulatorOverride(result.stackDir, emulator.endpoint);
  await terraformInit(result.stackDir);
  await terraform(result.stackDir, ["apply", "-auto-approve", "-input=false"]);
  dir = await mkdtemp(join(tmpdir(), "cle-verify-"));
  // Written as a person would (one field a line): live SARIF results point at the field's line.
  await writeFile(
    join(dir, "cloudsmith-log-export.json"),
    JSON.stringify({ ...base, cloudtrail: { mode: "create" } }, null, 2),
  );
  original = {
    trust: JSON.parse(
      decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: ROLE }))).Role!.AssumeRolePolicyDocument!),
    ),
    writer: decodeURIComponent(
      (await iam.send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: "cloudsmith-log-export-write" })))
        .PolicyDocument!,
    ),
    bucketPolicy: (await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy!,
    selectors: (await trail.send(new GetEventSelectorsCommand({ TrailName: TRAIL }))).AdvancedEventSelectors,
  };
}, 180_000);

afterAll(async () => {
  await emulator?.stop();
});

describe("verify on the deployed stack", () => {
  it("passes: every rule PASS or an explained SKIPPED, exit 0 (spawned CLI)", async () => {
    const env = { ...emulator.env, AWS_ENDPOINT_URL: undefined };
    const r = await runCli(["verify", "--endpoint-url", emulator.endpoint, "--output", "json"], { cwd: dir, env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.summary).toMatchObject({ FAIL: 0, ADVICE: 2, ERROR: 0 }); // trail.kms and trail.cloudwatch-logs advice
    for (const res of report.results) {
      if (res.status === "ADVICE") expect(res.severity).toBe("info");
      if (res.status === "SKIPPED") expect(res.message.length).toBeGreaterThan(10);
    }
    const skipped = report.results
      .filter((x: Result) => x.status === "SKIPPED")
      .map((x: Result) => x.ruleId)
      .sort();
    expect(skipped).toEqual([
      "analyzer.no-new-access",
      "analyzer.validate-policy",
      "permissions.kms",
      "retention.lifecycle",
      "retention.object-lock",
    ]);
    expect(report.results.find((x: Result) => x.ruleId === "analyzer.validate-policy").message).toMatch(
      /not available at the custom endpoint/,
    );
  });

  it("SARIF of the live run is schema-valid, in the live category, each advice at the config's trail field", async () => {
    // A correct deployment raises no alert at all; the recommendations only when asked for.
    const quiet = JSON.parse(
      (
        await runCli(["verify", "--endpoint-url", emulator.endpoint, "--output", "sarif"], {
          cwd: dir,
          env: { ...emulator.env },
        })
      ).stdout,
    );
    expect(quiet.runs[0].results).toEqual([]);
    const r = await runCli(["verify", "--endpoint-url", emulator.endpoint, "--output", "sarif", "--advice-as-alerts"], {
      cwd: dir,
      env: { ...emulator.env },
    });
    expect(r.code).toBe(0);
    const sarif = JSON.parse(r.stdout);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const run = sarif.runs[0];
    expect(run.automationDetails.id).toBe("cloudsmith-log-export/live/cloudsmith-log-export.json/");
    // Only the two recommendations, as notes; nothing that passed is an alert.
    expect(run.results.map((x: { ruleId: string; level: string }) => [x.ruleId, x.level]).sort()).toEqual([
      ["trail.cloudwatch-logs", "note"],
      ["trail.kms", "note"],
    ]);
    const configLines = (await readFile(join(dir, "cloudsmith-log-export.json"), "utf8")).split("\n");
    for (const x of run.results) {
      const at = x.locations[0].physicalLocation;
      expect(at.artifactLocation.uri).toBe("cloudsmith-log-export.json");
      expect(configLines[at.region.startLine - 1]).toMatch(/"cloudtrail"/);
    }
  });

  it("credentials for another account: identity FAILs, and nothing else is read or judged", async () => {
    await writeFile(join(dir, "other-account.json"), JSON.stringify({ ...base, accountId: "111122223333" }));
    const r = await runCli(
      ["--debug", "verify", "-c", "other-account.json", "--endpoint-url", emulator.endpoint, "--output", "json"],
      { cwd: dir, env: { ...emulator.env } },
    );
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.results.find((x: Result) => x.ruleId === "identity.account")).toMatchObject({
      status: "FAIL",
      message: expect.stringMatching(/credentials belong to 123456789012, but the config is for 111122223333/),
    });
    const others = report.results.filter((x: Result) => x.ruleId !== "identity.account");
    expect(others.length).toBeGreaterThan(20);
    expect(new Set(others.map((x: Result) => x.status))).toEqual(new Set(["SKIPPED"]));
    expect(others[0].message).toBe(
      "not checked: the credentials are for account 123456789012, not 111122223333 (the config's accountId)",
    );
    // Only "who am I" was asked, once: not one read of the other account's role, bucket or trail.
    const calls = [...r.stderr.matchAll(/^debug +\S+ aws (\S+) /gm)].map((m) => m[1]);
    expect(calls).toEqual(["STS.GetCallerIdentity"]);
    // No selection or threshold turns the wrong account into a pass: the identity rule still fails it.
    for (const extra of [
      ["--rule", "trust"],
      ["--skip-rule", "identity"],
      ["--severity-threshold", "critical"],
    ]) {
      const narrowed = await runCli(
        ["verify", "-c", "other-account.json", "--endpoint-url", emulator.endpoint, "--output", "json", ...extra],
        { cwd: dir, env: { ...emulator.env } },
      );
      expect(narrowed.code, extra.join(" ")).toBe(1);
      expect(JSON.parse(narrowed.stdout).results.find((x: Result) => x.ruleId === "identity.account")?.status).toBe(
        "FAIL",
      );
    }
  });

  it("prints a grouped text report with a summary line", async () => {
    const r = await runCli(["verify", "--endpoint-url", emulator.endpoint], { cwd: dir, env: { ...emulator.env } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Trust policy\n\s+PASS\s+trust.actions/);
    expect(r.stdout).toMatch(/PASS\s+trust.external-id\s+role\/CloudsmithLogsWriter/);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed, 0 errors, 5 skipped, 2 recommendations/);
  });
});

interface Mutation {
  name: string;
  rule: string;
  apply(): Promise<unknown>;
  undo(): Promise<unknown>;
}

const putWriter = (PolicyDocument: string) =>
  iam.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: "cloudsmith-log-export-write", PolicyDocument }));
const putTrust = (doc: unknown) =>
  iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: ROLE, PolicyDocument: JSON.stringify(doc) }));
const trustWith = (patch: (s: Record<string, unknown>) => Record<string, unknown>) => ({
  ...original.trust,
  Statement: (original.trust.Statement as unknown as Array<Record<string, unknown>>).map(patch),
});
const putBucketPolicy = (doc: string) => s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: doc }));
const bucketPolicyWith = (edit: (statements: Array<Record<string, unknown>>) => Array<Record<string, unknown>>) => {
  const doc = JSON.parse(original.bucketPolicy);
  return JSON.stringify({ ...doc, Statement: edit(doc.Statement) });
};
const PAB_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
let broadPolicyArn = "";

const mutations: Mutation[] = [
  {
    name: "trust without the ExternalId condition",
    rule: "trust.external-id",
    apply: () => putTrust(trustWith(({ Condition: _c, ...s }) => s)),
    undo: () => putTrust(original.trust),
  },
  {
    name: "a second trust statement for another account",
    rule: "trust.principal",
    apply: () =>
      putTrust({
        ...original.trust,
        Statement: [
          ...original.trust.Statement,
          { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRole" },
        ],
      }),
    undo: () => putTrust(original.trust),
  },
  {
    name: "'*' principal",
    rule: "trust.principal",
    apply: () => putTrust(trustWith((s) => ({ ...s, Principal: { AWS: "*" } }))),
    undo: () => putTrust(original.trust),
  },
  {
    name: "StringLike wildcard on the External ID",
    rule: "trust.external-id",
    apply: () => putTrust(trustWith((s) => ({ ...s, Condition: { StringLike: { "sts:ExternalId": "cs-*" } } }))),
    undo: () => putTrust(original.trust),
  },
  {
    name: "wrong External ID",
    rule: "trust.external-id",
    apply: () =>
      putTrust(trustWith((s) => ({ ...s, Condition: { StringEquals: { "sts:ExternalId": "someone-elses-id" } } }))),
    undo: () => putTrust(original.trust),
  },
  {
    name: "an MFA condition",
    rule: "trust.cloudsmith-can-assume",
    apply: () =>
      putTrust(
        trustWith((s) => ({
          ...s,
          Condition: { ...(s.Condition as object), Bool: { "aws:MultiFactorAuthPresent": "true" } },
        })),
      ),
    undo: () => putTrust(original.trust),
  },
  {
    name: "an s3:* managed policy attached",
    rule: "permissions.least-privilege",
    apply: async () => {
      const p = await iam.send(
        new CreatePolicyCommand({
          PolicyName: "too-broad",
          PolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
          }),
        }),
      );
      broadPolicyArn = p.Policy!.Arn!;
      await iam.send(new AttachRolePolicyCommand({ RoleName: ROLE, PolicyArn: broadPolicyArn }));
    },
    undo: async () => {
      await iam.send(new DetachRolePolicyCommand({ RoleName: ROLE, PolicyArn: broadPolicyArn }));
      await iam.send(new DeletePolicyCommand({ PolicyArn: broadPolicyArn }));
    },
  },
  {
    name: "an extra bucket in the writer policy",
    rule: "permissions.least-privilege",
    apply: () => {
      const doc = JSON.parse(original.writer);
      doc.Statement[0].Resource = [...doc.Statement[0].Resource, "arn:aws:s3:::someone-elses-bucket/*"];
      return putWriter(JSON.stringify(doc));
    },
    undo: () => putWriter(original.writer),
  },
  {
    name: "PutObjectAcl dropped from the writer policy",
    rule: "permissions.required",
    apply: () => {
      const doc = JSON.parse(original.writer);
      doc.Statement[0].Action = ["s3:PutObject"];
      return putWriter(JSON.stringify(doc));
    },
    undo: () => putWriter(original.writer),
  },
  {
    name: "Block Public Access off",
    rule: "bucket.public-access-block",
    apply: () =>
      s3.send(
        new PutPublicAccessBlockCommand({
          Bucket: BUCKET,
          PublicAccessBlockConfiguration: { ...PAB_ON, BlockPublicPolicy: false, RestrictPublicBuckets: false },
        }),
      ),
    undo: () => s3.send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: PAB_ON })),
  },
  {
    name: "Object Ownership back to ACLs",
    rule: "bucket.object-ownership",
    apply: () =>
      s3.send(
        new PutBucketOwnershipControlsCommand({
          Bucket: BUCKET,
          OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerPreferred" }] },
        }),
      ),
    undo: () =>
      s3.send(
        new PutBucketOwnershipControlsCommand({
          Bucket: BUCKET,
          OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
        }),
      ),
  },
  {
    name: "Requester Pays on",
    rule: "bucket.requester-pays",
    apply: () =>
      s3.send(
        new PutBucketRequestPaymentCommand({ Bucket: BUCKET, RequestPaymentConfiguration: { Payer: "Requester" } }),
      ),
    undo: () =>
      s3.send(
        new PutBucketRequestPaymentCommand({ Bucket: BUCKET, RequestPaymentConfiguration: { Payer: "BucketOwner" } }),
      ),
  },
  {
    name: "TLS-only statement removed",
    rule: "bucket.tls-only",
    apply: () => putBucketPolicy(bucketPolicyWith((st) => st.filter((s) => s.Sid !== "DenyInsecureTransport"))),
    undo: () => putBucketPolicy(original.bucketPolicy),
  },
  {
    name: "a bucket-policy Deny on the export prefix",
    rule: "bucket.no-deny-writer",
    apply: () =>
      putBucketPolicy(
        bucketPolicyWith((st) => [
          ...st,
          {
            Sid: "NoWrites",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: `arn:aws:s3:::${BUCKET}/client-logs/*`,
          },
        ]),
      ),
    undo: () => putBucketPolicy(original.bucketPolicy),
  },
  {
    name: "bucket policy statement for CloudTrail removed",
    rule: "trail.bucket-policy",
    apply: () => putBucketPolicy(bucketPolicyWith((st) => st.filter((s) => s.Sid !== "AWSCloudTrailWrite"))),
    undo: () => putBucketPolicy(original.bucketPolicy),
  },
  {
    name: "trail stopped",
    rule: "trail.logging",
    apply: () => trail.send(new StopLoggingCommand({ Name: TRAIL })),
    undo: () => trail.send(new StartLoggingCommand({ Name: TRAIL })),
  },
  {
    name: "log file validation off",
    rule: "trail.log-validation",
    apply: () => trail.send(new UpdateTrailCommand({ Name: TRAIL, EnableLogFileValidation: false })),
    undo: () => trail.send(new UpdateTrailCommand({ Name: TRAIL, EnableLogFileValidation: true })),
  },
  {
    name: "write-only management events",
    rule: "trail.management-events",
    // Advanced selectors replace basic ones on AWS; moto keeps both, so the mutation stays in the advanced form.
    apply: () =>
      trail.send(
        new PutEventSelectorsCommand({
          TrailName: TRAIL,
          AdvancedEventSelectors: [
            {
              Name: "Write-only management events",
              FieldSelectors: [
                { Field: "eventCategory", Equals: ["Management"] },
                { Field: "readOnly", Equals: ["false"] },
              ],
            },
            ...(original.selectors as never[]).slice(1),
          ],
        }),
      ),
    undo: () =>
      trail.send(
        new PutEventSelectorsCommand({ TrailName: TRAIL, AdvancedEventSelectors: original.selectors as never }),
      ),
  },
];

describe("mutations of the deployed state", () => {
  it.each(mutations.map((m) => [m.name, m] as const))("%s", async (_name, m) => {
    await m.apply();
    try {
      const results = await verifyAt(emulator.endpoint);
      expect(statusOf(results, m.rule)).toContain("FAIL");
      expect(exitCodeFor(results)).toBe(1);
      expect(results.filter((r) => r.status === "ERROR")).toEqual([]);
    } finally {
      await m.undo();
    }
    const after = await verifyAt(emulator.endpoint);
    expect(statusOf(after, m.rule), "undo restored the deployment").not.toContain("FAIL");
  });

  it("the spawned CLI exits 1 and names the rule", async () => {
    await putTrust(trustWith(({ Condition: _c, ...s }) => s));
    try {
      // A wide terminal (COLUMNS): the whole message on the rule's line, to match it in one piece.
      const r = await runCli(["verify", "--endpoint-url", emulator.endpoint], {
        cwd: dir,
        env: { ...emulator.env, COLUMNS: "1000" },
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /FAIL\s+trust.external-id\s+role\/CloudsmithLogsWriter\s+Cloudsmith's account without an External ID can assume the role \(allowed by the trust policy of role\/CloudsmithLogsWriter, statement "CloudsmithAssumeRoleWithExternalId"\)/,
      );
    } finally {
      await putTrust(original.trust);
    }
  });
});

/** Forwards the first `healthy` requests to the emulator, then drops every connection, like a backend dying mid-run. */
async function dyingProxy(target: string, healthy: number): Promise<{ url: string; close(): Promise<void> }> {
  let seen = 0;
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    if (++seen > healthy) return req.socket.destroy();
    const out = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe("failed reads", () => {
  it("an endpoint that refuses connections gives ERROR everywhere a read was needed, never PASS, exit 1", async () => {
    const proxy = await dyingProxy(emulator.endpoint, 0);
    const results = await verifyAt(proxy.url);
    await proxy.close();
    expect(results.filter((r) => r.status === "PASS")).toEqual([]);
    expect(results.filter((r) => r.status === "FAIL")).toEqual([]);
    expect(results.filter((r) => r.status === "ERROR").length).toBeGreaterThan(20);
    expect(exitCodeFor(results)).toBe(1);
    expect(exitCodeFor(results, { allowErrors: true })).toBe(0);
  }, 60_000);

  it("the emulator dying mid-run yields ERROR for what it could not read and no false PASS", async () => {
    const healthy = await verifyAt(emulator.endpoint);
    const passing = new Set(healthy.filter((r) => r.status === "PASS").map((r) => r.ruleId));
    const proxy = await dyingProxy(emulator.endpoint, 8);
    const results = await verifyAt(proxy.url);
    await proxy.close();
    expect(results.filter((r) => r.status === "ERROR").length).toBeGreaterThan(0);
    for (const r of results.filter((x) => x.status === "PASS")) expect(passing.has(r.ruleId)).toBe(true);
    expect(results.filter((r) => r.status === "FAIL" && r.severity !== "info")).toEqual([]);
    expect(exitCodeFor(results)).toBe(1);
  }, 60_000);
});

/** Forwards to the emulator, except one kind of request, which it accepts and never answers. */
async function silentProxy(
  target: string,
  silentOn: (url: string) => boolean,
): Promise<{ url: string; close(): Promise<void> }> {
  const held: Array<import("node:http").ServerResponse> = [];
  const server = createServer((req, res) => {
    if (silentOn(req.url ?? "")) {
      held.push(res); // never answered
      return;
    }
    const out = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        for (const h of held) h.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe("a read that is never answered", () => {
  it("becomes ERROR in bounded time (--aws-timeout), the rest of the report intact", async () => {
    const proxy = await silentProxy(emulator.endpoint, (url) => /[?&]policy(=|&|$)/.test(url));
    try {
      const started = Date.now();
      const r = await runCli(["verify", "--endpoint-url", proxy.url, "--aws-timeout", "1", "--output", "json"], {
        cwd: dir,
        env: { ...emulator.env },
      });
      const seconds = (Date.now() - started) / 1000;
      expect(seconds, "the run ends in bounded time").toBeLessThan(45);
      const results = JSON.parse(r.stdout).results as Result[];
      const tls = results.find((x) => x.ruleId === "bucket.tls-only")!;
      expect(tls.status).toBe("ERROR");
      expect(tls.message).toMatch(/bucket policy/);
      expect(results.find((x) => x.ruleId === "role.exists")!.status).toBe("PASS");
      expect(r.code).toBe(1);
    } finally {
      await proxy.close();
    }
  }, 90_000);
});

describe("several configs in one run", () => {
  it("a directory of configs: grouped results, the worst exit code, in JSON one report per config", async () => {
    const { mkdir } = await import("node:fs/promises");
    const accounts = join(dir, "accounts");
    await mkdir(accounts, { recursive: true });
    await writeFile(join(accounts, "a.json"), JSON.stringify(base));
    await writeFile(join(accounts, "b.json"), JSON.stringify(base));
    await writeFile(join(accounts, "c.json"), JSON.stringify({ ...base, roleName: "NotDeployed" }));
    const env = { ...emulator.env };
    const text = await runCli(["verify", "--config", "accounts", "--endpoint-url", emulator.endpoint], {
      cwd: dir,
      env,
    });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/verify: accounts\/a.json against/);
    expect(text.stdout).toMatch(/FAIL\s+role.exists\s+role\/NotDeployed\s+role NotDeployed does not exist/);
    expect(text.stdout).toMatch(/3 configs: 2 passed, 1 failed/);
    const json = JSON.parse(
      (
        await runCli(
          [
            "verify",
            "-c",
            "accounts/a.json",
            "-c",
            "accounts/b.json",
            "--endpoint-url",
            emulator.endpoint,
            "--output",
            "json",
          ],
          { cwd: dir, env },
        )
      ).stdout,
    );
    expect(json.exitCode).toBe(0);
    expect(json.configs.map((c: { config: string; exitCode: number }) => [c.config, c.exitCode])).toEqual([
      ["accounts/a.json", 0],
      ["accounts/b.json", 0],
    ]);
  });

  it("assumes a role in each config's account from a template", async () => {
    const r = await runCli(
      [
        "verify",
        "--endpoint-url",
        emulator.endpoint,
        "--assume-role-arn",
        "arn:aws:iam::{accountId}:role/SecurityAudit",
        "--output",
        "json",
      ],
      { cwd: dir, env: { ...emulator.env } },
    );
    expect(r.code, r.stdout).toBe(0);
    const identity = JSON.parse(r.stdout).results.find((x: Result) => x.ruleId === "identity.account");
    expect(identity.message).toMatch(/assumed-role\/SecurityAudit\/cloudsmith-log-export-verify/);
  });

  /** `verify --assume-role-arn` against an endpoint that drops every connection: no role can be assumed. */
  async function verifyWithUnassumableRole(...extra: string[]) {
    const proxy = await dyingProxy(emulator.endpoint, 0);
    try {
      const args = [
        "verify",
        "--endpoint-url",
        proxy.url,
        "--assume-role-arn",
        "arn:aws:iam::{accountId}:role/SecurityAudit",
      ];
      return await runCli([...args, ...extra, "--output", "json"], { cwd: dir, env: { ...emulator.env } });
    } finally {
      await proxy.close();
    }
  }

  it("a role that cannot be assumed makes that config ERROR, never PASS, without stopping the others", async () => {
    const r = await verifyWithUnassumableRole();
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.summary.PASS).toBe(0);
    expect(report.results.find((x: Result) => x.ruleId === "role.exists").message).toMatch(
      /could not assume arn:aws:iam::123456789012:role\/SecurityAudit/,
    );
  }, 60_000);

  it("when the role cannot be assumed, every delivery and integrity rule the user asked for is ERROR, none dropped", async () => {
    const r = await verifyWithUnassumableRole("--delivery", "--integrity");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const byId = new Map<string, Result[]>();
    for (const x of report.results as Result[]) byId.set(x.ruleId, [...(byId.get(x.ruleId) ?? []), x]);
    const asked = [...DELIVERY_RULES, ...INTEGRITY_RULES].map((x) => x.id);
    for (const id of asked) {
      // excluded-fields does not apply to a config that excludes nothing; every other rule is there as ERROR.
      const statuses = (byId.get(id) ?? []).map((x) => x.status);
      expect(statuses, id).toEqual([id === "delivery.excluded-fields" ? "SKIPPED" : "ERROR"]);
    }
    expect(report.summary.PASS).toBe(0);
  }, 60_000);
});
