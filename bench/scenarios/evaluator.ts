/**
 * The policy evaluator at scale: verify --static on the example with 1,000 extra statements in the
 * writer's policy, and with 500 extra Deny statements in the bucket policy, each against the plain
 * example in the same run. Both sides must still judge every rule (a summary with the same count).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Check } from "../lib/check.js";
import { type Run, sideBySide } from "../lib/measure.js";
import { BIN } from "../lib/world.js";

type TfJson = { resource: Record<string, Record<string, { policy: string }>> };

function variant(base: string, dir: string, type: string, add: (i: number) => unknown, n: number): string {
  const tf = JSON.parse(readFileSync(join(base, "stacks", "cloudsmith-log-export", "cdk.tf.json"), "utf8")) as TfJson;
  const [name, res] = Object.entries(tf.resource[type]!)[0]!;
  const doc = JSON.parse(res.policy) as { Statement: unknown[] };
  for (let i = 0; i < n; i++) doc.Statement.push(add(i));
  tf.resource[type]![name]!.policy = JSON.stringify(doc);
  const out = join(dir, "stacks", "cloudsmith-log-export");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "cdk.tf.json"), JSON.stringify(tf));
  return dir;
}

const judged = (r: Run): number => {
  const s = JSON.parse(r.stdout).summary as Record<string, number>;
  return s.PASS! + s.FAIL! + s.ADVICE! + s.ERROR! + s.SKIPPED!;
};

export async function evaluator(runs: number): Promise<Check[]> {
  const work = mkdtempSync(join(tmpdir(), "cle-bench-eval-"));
  const plain = join(work, "plain");
  execFileSync(process.execPath, [BIN, "synth", "--example", "-o", plain], { cwd: work, stdio: "ignore" });
  const writer = variant(
    plain,
    join(work, "writer-1000"),
    "aws_iam_role_policy",
    (i) => ({
      Sid: `Extra${i}`,
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:ListBucket"],
      Resource: [`arn:aws:s3:::other-bucket-${i}/*`, `arn:aws:s3:::other-bucket-${i}`],
    }),
    1000,
  );
  const denies = variant(
    plain,
    join(work, "deny-500"),
    "aws_s3_bucket_policy",
    (i) => ({
      Sid: `DenyOutsideVpce${i}`,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: "arn:aws:s3:::cloudsmith-acme-logs/*",
      Condition: { StringEquals: { "aws:SourceVpce": `vpce-${String(i).padStart(8, "0")}` } },
    }),
    500,
  );
  const verify = (label: string, dir: string) => ({
    label,
    cmd: process.execPath,
    args: [BIN, "verify", "--example", "--static", dir, "--output", "json"],
    cwd: work,
    expectCode: "any" as const,
  });
  const same = (a: Run, b: Run) => (judged(a) === judged(b) ? undefined : `${judged(a)} results vs ${judged(b)}`);
  const checks: Check[] = [];
  for (const [what, dir] of [
    ["1,000 extra statements in the writer's policy", writer],
    ["500 extra Deny statements in the bucket policy", denies],
  ] as const) {
    const c = await sideBySide(
      `evaluator, ${what}`,
      verify(`verify --static, ${what}`, dir),
      verify("verify --static", plain),
      {
        runs,
        same,
      },
    );
    checks.push({
      what: `verify --static with ${what}, over the plain example`,
      value: c.ratio,
      op: "<=",
      target: 5,
      unit: "x",
      detail: `${c.a.medianMs} ms vs ${c.b.medianMs} ms`,
    });
  }
  return checks;
}
