/**
 * The verifier's own IAM policy covers every call it makes. The CLI runs with every pack against
 * the emulator (an account with an export, a signed CloudTrail history and an attached managed
 * policy, so each read path is taken) under --debug, which names each SDK call; each call must be
 * one the policy table declares for those options, and its IAM action must be in the policy that
 * `verify --print-iam-policy` prints for the same options.
 */

import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument, Statement } from "../../src/iam/policies/types.js";
import { OPERATIONS, operationsFor } from "../../src/verify/iam-policy.js";
import { emulatorClients } from "../helpers/aws-sdk.js";
import { runCli } from "../helpers/cli.js";
import { publishKeys, signingKey, writeHistory } from "../helpers/cloudtrail-history.js";
import { base, configOf } from "../helpers/configs.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";

const BUCKET = base.bucket.name;
const hourNow = Math.floor(Date.now() / 3_600_000) * 3600;
const key = signingKey("00112233445566778899aabbccddeeff");
let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-policy-"));
  const keysFile = join(dir, "keys.json");
  await publishKeys(keysFile, [{ key, start: hourNow - 4 * 3600, end: hourNow + 7200 }]);
  emulator = await startEmulator({ env: { CLE_CLOUDTRAIL_PUBLIC_KEYS: keysFile } });
  const c = emulatorClients(emulator.endpoint);
  await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await c.iam.send(new CreateRoleCommand({ RoleName: "CloudsmithLogsWriter", AssumeRolePolicyDocument: "{}" }));
  await c.iam.send(
    new PutRolePolicyCommand({
      RoleName: "CloudsmithLogsWriter",
      PolicyName: "w",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: `arn:aws:s3:::${BUCKET}/*` }],
      }),
    }),
  );
  const managed = await c.iam.send(
    new CreatePolicyCommand({
      PolicyName: "extra",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }],
      }),
    }),
  );
  await c.iam.send(new AttachRolePolicyCommand({ RoleName: "CloudsmithLogsWriter", PolicyArn: managed.Policy!.Arn! }));
  await c.cloudtrail.send(
    new CreateTrailCommand({
      Name: "cloudsmith-log-export",
      S3BucketName: BUCKET,
      S3KeyPrefix: "cloudtrail",
      EnableLogFileValidation: true,
    }),
  );
  await c.cloudtrail.send(new StartLoggingCommand({ Name: "cloudsmith-log-export" }));
  await writeHistory(emulator.endpoint, {
    bucket: BUCKET,
    prefix: "cloudtrail",
    trail: "cloudsmith-log-export",
    start: hourNow - 3 * 3600,
    hours: 3,
    keys: [{ key, fromHour: 0 }],
  });
  const hour = new Date().toISOString().slice(0, 13).replace(/[-T]/g, "/");
  await c.s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `client-logs/${hour}/export.json`,
      Body: readFileSync(new URL("../fixtures/cloudsmith-client-log.json-stream-timestamp", import.meta.url)),
    }),
  );
  await writeFile(join(dir, "cloudsmith-log-export.json"), JSON.stringify(base));
}, 120_000);
afterAll(() => emulator?.stop());

/** The SDK operations a run sent, from --debug's `aws Service.Operation` lines (answered or failed). */
const callsIn = (stderr: string) => new Set([...stderr.matchAll(/^debug +\S+ aws (\S+) /gm)].map((m) => m[1]!));

const actionsIn = (policy: PolicyDocument) =>
  new Set((policy.Statement as Statement[]).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action!])));

describe("verify --print-iam-policy", () => {
  it("covers every SDK call verify sends, with --delivery and --integrity", async () => {
    const flags = ["--delivery", "--integrity", "--since", "4h", "--endpoint-url", emulator.endpoint];
    const run = await runCli(["--debug", "verify", ...flags, "--output", "json"], { cwd: dir, env: emulator.env });
    const report = JSON.parse(run.stdout);
    // The run took every read path: an export parsed, digests validated, the managed policy read.
    const status = (id: string) => report.results.filter((r: { ruleId: string }) => r.ruleId === id)[0]?.status;
    expect(status("integrity.digest-signatures")).toBe("PASS");
    expect(status("delivery.format")).toBe("PASS");
    const calls = callsIn(run.stderr);
    for (const op of ["IAM.GetPolicyVersion", "S3.GetObject", "CloudTrail.ListPublicKeys", "S3.ListObjectsV2"])
      expect(calls, `${op} was called`).toContain(op);

    const declared = operationsFor([configOf(base)], { delivery: true, integrity: true, analyzer: false });
    const printed = await runCli(["verify", "--print-iam-policy", ...flags], { cwd: dir });
    expect(printed.code).toBe(0);
    const actions = actionsIn(JSON.parse(printed.stdout));
    for (const op of calls) {
      expect(declared, `${op} is declared for these options`).toContain(op);
      expect(OPERATIONS[op], `${op} maps to an IAM action`).toBeDefined();
      for (const action of OPERATIONS[op]!) expect(actions, `${op} needs ${action}`).toContain(action);
    }
    // No secret reaches the debug log: the credentials and the bodies stay out.
    expect(run.stderr).not.toContain(emulator.env.AWS_SECRET_ACCESS_KEY ?? "never-set");
    expect(run.stderr).not.toMatch(/"package"|"ip_address"|"user"/);
  }, 120_000);

  it("without --delivery and --integrity, no object is read and the policy grants no s3:GetObject", async () => {
    const flags = ["--endpoint-url", emulator.endpoint];
    const run = await runCli(["--debug", "verify", ...flags, "--output", "json"], { cwd: dir, env: emulator.env });
    const calls = callsIn(run.stderr);
    expect(calls).not.toContain("S3.GetObject");
    const printed = JSON.parse((await runCli(["verify", "--print-iam-policy", ...flags], { cwd: dir })).stdout);
    const actions = actionsIn(printed);
    expect(actions).not.toContain("s3:GetObject");
    expect(actions).not.toContain("cloudtrail:ListPublicKeys");
    for (const op of calls) for (const action of OPERATIONS[op] ?? ["(undeclared)"]) expect(actions).toContain(action);
  }, 120_000);
});
