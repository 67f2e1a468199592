/**
 * "Can we prove it": each CodeArtifact row of `investigate` says whether the CloudTrail file it came
 * from is vouched for by the trail's signed digest chain, as `aws cloudtrail validate-logs` would
 * judge it (verify --integrity's validation, run over the window): `verified` when the file
 * matches a valid digest, `failed` when it was changed, `not-covered` when no digest lists it.
 */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorClients } from "../helpers/aws-sdk.js";
import { runCli } from "../helpers/cli.js";
import { publishKeys, signingKey, writeHistory } from "../helpers/cloudtrail-history.js";
import { base } from "../helpers/configs.js";
import { type Emulator, startEmulator } from "../helpers/emulator.js";

const BUCKET = "cloudsmith-acme-logs";
const HOURS = 4;
const hourNow = Math.floor(Date.now() / 3_600_000) * 3600;
const START = hourNow - HOURS * 3600;
const key = signingKey("0123456789abcdef0123456789abcdef");

let emulator: Emulator;
let dir: string;
let history: { digests: string[]; logs: string[] };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cle-investigate-integrity-"));
  const keysFile = join(dir, "keys.json");
  await publishKeys(keysFile, [{ key, start: START - 3600, end: hourNow + 7200 }]);
  emulator = await startEmulator({ env: { CLE_CLOUDTRAIL_PUBLIC_KEYS: keysFile } });
  const c = emulatorClients(emulator.endpoint);
  await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await c.cloudtrail.send(
    new CreateTrailCommand({
      Name: "cloudsmith-log-export",
      S3BucketName: BUCKET,
      S3KeyPrefix: "cloudtrail",
      EnableLogFileValidation: true,
    }),
  );
  await c.cloudtrail.send(new StartLoggingCommand({ Name: "cloudsmith-log-export" }));
  // Signed history: every log file holds pkg-0@1.0.0 and pkg-1@1.0.0 downloads.
  history = await writeHistory(emulator.endpoint, {
    bucket: BUCKET,
    prefix: "cloudtrail",
    trail: "cloudsmith-log-export",
    start: START,
    hours: HOURS,
    logsPerHour: 2,
    recordsPerLog: 2,
    keys: [{ key, fromHour: 0 }],
  });
  /** A CloudTrail file of one pkg-1@1.0.0 download, written by someone other than CloudTrail. */
  const putOneDownload = (Key: string, eventID: string, at: number, who: string) =>
    c.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key,
        Body: gzipSync(
          JSON.stringify({
            Records: [
              {
                eventSource: "codeartifact.amazonaws.com",
                eventName: "ReadFromRepository",
                eventID,
                eventTime: new Date(at * 1000).toISOString(),
                userIdentity: { arn: `arn:aws:sts::123456789012:assumed-role/ci/${who}` },
                requestParameters: {
                  domain: "acme",
                  repository: "npm-store",
                  packageFormat: "npm",
                  packageName: "pkg-1",
                  packageVersion: "1.0.0",
                },
              },
            ],
          }),
        ),
      }),
    );
  // One file changed after delivery, and one that no digest lists.
  await putOneDownload(history.logs[1]!, "forged-1", START + 3600 + 60, "someone-else");
  await putOneDownload(
    history.logs[0]!.replace(/_[^_]+\.json\.gz$/, "_PLANTED.json.gz"),
    "planted-1",
    START + 120,
    "planted",
  );
  await writeFile(join(dir, "cloudsmith-log-export.json"), JSON.stringify(base));
}, 120_000);
afterAll(() => emulator?.stop());

describe("investigate: CodeArtifact rows against the digest chain", () => {
  it("verified, failed (changed after delivery) and not-covered (listed by no digest), row by row", async () => {
    const r = await runCli(
      [
        "investigate",
        "--package",
        "npm:pkg-1@1.0.0",
        "--since",
        "6h",
        "--output",
        "ndjson",
        "--endpoint-url",
        emulator.endpoint,
        "--no-cache",
      ],
      { cwd: dir, env: { ...emulator.env } },
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { source: string; principal: string; integrity: string; object: { key: string } });
    const ca = rows.filter((x) => x.source === "codeartifact");
    const byKey = (k: string) => ca.filter((x) => x.object.key === k).map((x) => x.integrity);
    // Every untouched delivered file verifies.
    const untouched = history.logs.filter((_k, i) => i !== 1);
    for (const k of untouched) expect(byKey(k), k).toEqual(["verified"]);
    expect(byKey(history.logs[1]!)).toEqual(["failed"]);
    expect(ca.find((x) => x.principal.endsWith("/planted"))?.integrity).toBe("not-covered");
  }, 120_000);

  it("an existing organization trail: its files found under AWSLogs/<org id>/<account>/, and verified", async () => {
    // moto records an organization trail only inside an organization.
    const cli = (args: string[]) =>
      promisify(execFile)("aws", [...args, "--region", "us-east-1", "--endpoint-url", emulator.endpoint], {
        env: { ...process.env, ...emulator.env },
      });
    await cli(["organizations", "create-organization", "--feature-set", "ALL"]);
    const org = (
      await cli(["organizations", "describe-organization", "--query", "Organization.Id", "--output", "text"])
    ).stdout.trim();
    const c = emulatorClients(emulator.endpoint);
    const orgBucket = "acme-org-trail-logs";
    await c.s3.send(new CreateBucketCommand({ Bucket: orgBucket }));
    await c.cloudtrail.send(
      new CreateTrailCommand({
        Name: "org-baseline",
        S3BucketName: orgBucket,
        EnableLogFileValidation: true,
        IsMultiRegionTrail: true,
        IsOrganizationTrail: true,
      }),
    );
    const orgHistory = await writeHistory(emulator.endpoint, {
      bucket: orgBucket,
      trail: "org-baseline",
      org,
      start: START,
      hours: HOURS,
      logsPerHour: 1,
      recordsPerLog: 2,
      keys: [{ key, fromHour: 0 }],
    });
    expect(orgHistory.logs[0]).toContain(`AWSLogs/${org}/123456789012/CloudTrail/`);
    await writeFile(
      join(dir, "org.json"),
      JSON.stringify({
        ...base,
        cloudtrail: {
          mode: "existing",
          trailArn: "arn:aws:cloudtrail:us-east-1:123456789012:trail/org-baseline",
          organizationId: org,
        },
      }),
    );
    const r = await runCli(
      [
        "investigate",
        "-c",
        "org.json",
        "--package",
        "npm:pkg-0",
        "--since",
        "6h",
        "--output",
        "ndjson",
        "--endpoint-url",
        emulator.endpoint,
        "--no-cache",
      ],
      { cwd: dir, env: { ...emulator.env } },
    );
    expect(r.code, r.stderr).toBe(0);
    const ca = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { source: string; integrity: string; object: { bucket: string; key: string } })
      .filter((x) => x.source === "codeartifact");
    expect(ca.map((x) => x.object.key).sort()).toEqual([...orgHistory.logs].sort());
    expect(ca.every((x) => x.object.bucket === orgBucket && x.integrity === "verified")).toBe(true);
  }, 120_000);
});
