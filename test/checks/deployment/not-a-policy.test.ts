/**
 * A policy that is valid JSON but not a policy (an array, a number, null statements, a statement
 * that is a string, an Effect that is neither Allow nor Deny) never makes a rule PASS: its rules
 * are ERROR, naming the policy, the element and the rule of the grammar it breaks (IAM User Guide,
 * "Grammar of the IAM JSON policy language": a policy is an object; Statement is a statement or a
 * list of them; Effect is Allow or Deny).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NotAPolicy, validatePolicy } from "../../../src/iam/policies/validate.js";
import { collectFacts, verifyFacts } from "../../../src/verify/run-one.js";
import { base, configOf, variants } from "../../helpers/configs.js";
import { synthVariant } from "../../helpers/synth.js";

const { result } = await synthVariant(variants.default!);
const original = await readFile(join(result.stackDir, "cdk.tf.json"), "utf8");

/** The synthesized stack with the role's trust policy (or the bucket policy) replaced by `text`. */
async function withPolicy(kind: "trust" | "bucket", text: string): Promise<string> {
  const tf = JSON.parse(original);
  if (kind === "trust")
    for (const r of Object.values(tf.resource.aws_iam_role) as Array<{ assume_role_policy: string }>)
      r.assume_role_policy = text;
  else for (const r of Object.values(tf.resource.aws_s3_bucket_policy) as Array<{ policy: string }>) r.policy = text;
  const file = join(result.stackDir, `hostile-${kind}.tf.json`);
  await writeFile(file, JSON.stringify(tf));
  return file;
}

const SHAPES: Array<[string, string]> = [
  ["an array", "[]"],
  ["a number", "42"],
  ["null", "null"],
  ["a null statement", '{"Version":"2012-10-17","Statement":[null]}'],
  ["a statement that is a string", '{"Version":"2012-10-17","Statement":["Allow everything"]}'],
  ["no Statement at all", '{"Version":"2012-10-17"}'],
  [
    "an Effect that is neither",
    '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"sts:AssumeRole","Principal":"*"}]}',
  ],
  ["not JSON", "{not json"],
];

describe("a trust policy that is not a policy", () => {
  it.each(SHAPES)("%s: every trust rule is ERROR, none PASS", async (_name, text) => {
    const path = await withPolicy("trust", text);
    const results = await verifyFacts(await collectFacts(configOf(base), { aws: {}, staticPath: path }));
    const trust = results.filter((r) => r.ruleId.startsWith("trust."));
    expect(trust.length).toBe(4);
    for (const r of trust) {
      expect([r.ruleId, r.status]).toEqual([r.ruleId, "ERROR"]);
      expect(r.message).toMatch(/the trust policy is not a policy document/);
    }
  });
});

describe("a bucket policy that is not a policy", () => {
  it.each(SHAPES)("%s: the bucket-policy rules are ERROR, none PASS", async (_name, text) => {
    const path = await withPolicy("bucket", text);
    const results = await verifyFacts(await collectFacts(configOf(base), { aws: {}, staticPath: path }));
    for (const id of ["bucket.tls-only", "bucket.private", "bucket.no-deny-writer", "trail.bucket-policy"]) {
      const r = results.find((x) => x.ruleId === id)!;
      expect([id, r.status]).toEqual([id, "ERROR"]);
    }
  });
});

describe("policies past AWS's size limits", () => {
  // IAM and S3 quotas: a trust policy is at most 4,096 characters, a bucket policy 20 KB, a key
  // policy (the largest) 32 KB. A document past them is not one AWS holds: ERROR, never evaluated
  // for minutes (thousands of statements made the evaluator run without end).
  const statements = (n: number) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: Array.from({ length: n }, (_, i) => ({
        Sid: `S${i}`,
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${100000000000 + i}:root` },
        Action: "sts:AssumeRole",
      })),
    });

  it.each([
    ["trust", ["trust.external-id", "trust.principal"]],
    ["bucket", ["bucket.private", "bucket.tls-only"]],
  ] as const)("a %s policy of 5,000 statements: ERROR naming the bound, at once", async (kind, ids) => {
    const path = await withPolicy(kind, statements(5000));
    const results = await verifyFacts(await collectFacts(configOf(base), { aws: {}, staticPath: path }));
    for (const id of ids) {
      const r = results.find((x) => x.ruleId === id)!;
      expect([id, r.status]).toEqual([id, "ERROR"]);
      expect(r.message).toMatch(/characters, more than any policy AWS accepts/);
    }
  });
});

describe("the shape check itself", () => {
  it("accepts the policies the tool writes and AWS's one-statement form", () => {
    const tf = JSON.parse(original);
    for (const r of Object.values(tf.resource.aws_iam_role_policy) as Array<{ policy: string }>)
      expect(() => validatePolicy(JSON.parse(r.policy), "p")).not.toThrow();
    expect(() =>
      validatePolicy(
        { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:GetObject", Resource: "*" } },
        "p",
      ),
    ).not.toThrow();
  });

  it("names the element and the rule", () => {
    expect(() => validatePolicy({ Statement: [{ Effect: "Allow", Action: 5 }] }, "inline policy w")).toThrow(
      new NotAPolicy("inline policy w", "Statement[0].Action", "must be a string or a list of strings"),
    );
  });
});
