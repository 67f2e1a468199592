/**
 * Policies of thousands of statements are decided, not left running: the evaluator compiles each
 * policy once and looks only at statements that may apply; bucket.private asks each outsider only
 * about what the statements that may name it name, within a bound past which it is ERROR.
 */
import { describe, expect, it } from "vitest";
import { present } from "../../../src/engine/fact.js";
import { verifyFacts } from "../../../src/verify/run-one.js";
import { base } from "../../helpers/configs.js";
import { bucketPolicy, healthyFacts, writerPolicy } from "../../helpers/facts.js";

describe("policies of thousands of statements", () => {
  it("a bucket policy granting 3,000 other accounts: bucket.private FAILs, naming the first", async () => {
    const facts = healthyFacts({ ...base });
    for (let i = 0; i < 3000; i++)
      bucketPolicy(facts).Statement.push({
        Sid: `Reader${i}`,
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${100000000000 + i}:role/reader` },
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:::cloudsmith-acme-logs/team-${i}/*`,
      });
    const r = (await verifyFacts(facts)).find((x) => x.ruleId === "bucket.private")!;
    expect(r.status).toBe("FAIL");
    expect(r.message).toContain(
      'arn:aws:iam::100000000000:role/reader (the bucket policy of s3://cloudsmith-acme-logs, statement "Reader0")',
    );
  });

  it("1,000 extra statements in the writer's policy: least-privilege names them, required still passes", async () => {
    const facts = healthyFacts({ ...base });
    for (let i = 0; i < 1000; i++)
      writerPolicy(facts).Statement.push({
        Sid: `Extra${i}`,
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: `arn:aws:s3:::other-bucket-${i}/*`,
      });
    const results = await verifyFacts(facts);
    expect(results.find((x) => x.ruleId === "permissions.least-privilege")).toMatchObject({
      status: "FAIL",
      message: expect.stringContaining('statement "Extra999"'),
    });
    expect(results.find((x) => x.ruleId === "permissions.required")?.status).toBe("PASS");
  });

  it("past the question bound, bucket.private is ERROR with the reason, never a long wait", async () => {
    const facts = healthyFacts({ ...base });
    // One statement naming every principal of 4,000 accounts, on 200 resources each: over 800,000 questions.
    bucketPolicy(facts).Statement.push({
      Sid: "Everyone",
      Effect: "Allow",
      Principal: { AWS: Array.from({ length: 4000 }, (_, i) => `arn:aws:iam::${200000000000 + i}:root`) },
      Action: "s3:GetObject",
      Resource: Array.from({ length: 200 }, (_, i) => `arn:aws:s3:::cloudsmith-acme-logs/p${i}/*`),
    });
    facts.exportBucket.policy = present(bucketPolicy(facts));
    const r = (await verifyFacts(facts)).find((x) => x.ruleId === "bucket.private")!;
    expect(r.status).toBe("ERROR");
    expect(r.message).toMatch(/more than 200000: not decided/);
  });
});
