/** The verifier's policy: every SDK operation in the collectors is declared; the policy follows the options. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Statement } from "../../src/iam/policies/types.js";
import { OPERATIONS, operationsFor, verifierPolicy } from "../../src/verify/iam-policy.js";
import { base, configOf, KMS_KEY } from "../helpers/configs.js";

const SRC = join(import.meta.dirname, "..", "..", "src");
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });

/** Operation names the verify code paths send: `new x.<Op>Command(` and `paginate<Op>(`. */
function operationsInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of [...files(join(SRC, "checks")), join(SRC, "aws", "s3.ts")]) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\.([A-Z][A-Za-z0-9]+)Command\(|\.paginate([A-Z][A-Za-z0-9]+)\(/g))
      found.set(m[1] ?? m[2]!, file.slice(SRC.length + 1));
  }
  return found;
}

const statement = (policy: ReturnType<typeof verifierPolicy>, sid: string) =>
  (policy.Statement as Statement[]).find((s) => s.Sid === sid);

describe("the verifier's IAM policy", () => {
  it("declares every SDK operation the collectors can send, including paths the emulator cannot take", () => {
    const declared = new Set(Object.keys(OPERATIONS).map((k) => k.split(".")[1]));
    const inSource = operationsInSource();
    expect(inSource.size).toBeGreaterThan(15);
    for (const [op, file] of inSource) expect(declared, `${op} (sent in ${file})`).toContain(op);
  });

  it("every operation it declares is sent by some set of options", () => {
    const kms = configOf({
      ...base,
      encryption: { type: "SSE-KMS", kmsKeyArn: KMS_KEY },
      format: "csv",
      query: { athena: {} },
      retention: { profile: "pci-dss", objectLock: { mode: "compliance" } },
      siem: { reader: { principal: "arn:aws:iam::123456789012:role/collector" }, kmsKeyArn: KMS_KEY },
    });
    const all = operationsFor([kms], {
      siem: true,
      delivery: true,
      integrity: true,
      analyzer: true,
      query: true,
      athenaEngine: true,
    });
    expect([...all].sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  it("follows the options: objects and keys only for --delivery and --integrity, Access Analyzer only on AWS", () => {
    const cfg = configOf(base);
    const plain = verifierPolicy([cfg], { analyzer: true });
    expect(statement(plain, "ReadExports")).toBeUndefined();
    expect(statement(plain, "CloudTrailPublicKeys")).toBeUndefined();
    expect(statement(plain, "AccessAnalyzerChecks")).toMatchObject({ Resource: "*" });
    expect(statement(plain, "ReadTheExportRole")).toMatchObject({
      Resource: "arn:aws:iam::123456789012:role/CloudsmithLogsWriter",
    });
    expect(statement(verifierPolicy([cfg], { analyzer: false }), "AccessAnalyzerChecks")).toBeUndefined();
    const full = verifierPolicy([cfg], { delivery: true, integrity: true });
    expect(statement(full, "ReadExports")).toMatchObject({
      Action: ["s3:GetObject"],
      Resource: ["arn:aws:s3:::cloudsmith-acme-logs/audit-logs/*", "arn:aws:s3:::cloudsmith-acme-logs/client-logs/*"],
    });
    expect(statement(full, "ReadTrailFiles")).toMatchObject({
      Resource: "arn:aws:s3:::cloudsmith-acme-logs/cloudtrail/AWSLogs/*",
    });
    // No statement grants a write, a delete or anything on every resource but the two calls that need it.
    for (const s of full.Statement as Statement[]) {
      for (const a of [s.Action].flat()) expect(a).toMatch(/:(Get|List|Head|Validate|Check)/);
      if (s.Resource === "*") expect(["AccessAnalyzerChecks", "CloudTrailPublicKeys"]).toContain(s.Sid);
    }
  });

  it("with SSE-KMS: the key's policy and grants, and Decrypt through S3 only for what it reads", () => {
    const cfg = configOf({ ...base, encryption: { type: "SSE-KMS", kmsKeyArn: KMS_KEY } });
    const plain = verifierPolicy([cfg], {});
    expect(statement(plain, "ReadTheBucketKey")).toMatchObject({
      Action: ["kms:GetKeyPolicy", "kms:ListGrants"],
      Resource: KMS_KEY,
    });
    expect(statement(plain, "DecryptWhatItReads")).toBeUndefined();
    expect(statement(verifierPolicy([cfg], { delivery: true }), "DecryptWhatItReads")).toMatchObject({
      Action: ["kms:Decrypt"],
      Resource: KMS_KEY,
      Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
    });
  });

  it("several configs merge into one policy naming each account's resources", () => {
    const a = configOf(base);
    const b = configOf({ ...base, accountId: "210987654321", bucket: { name: "other-logs" } });
    const policy = verifierPolicy([a, b], {});
    expect(statement(policy, "ReadTheBuckets")?.Resource).toEqual([
      "arn:aws:s3:::cloudsmith-acme-logs",
      "arn:aws:s3:::other-logs",
    ]);
    expect(statement(policy, "ReadTheExportRole")?.Resource).toHaveLength(2);
  });
});
