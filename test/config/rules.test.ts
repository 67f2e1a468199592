import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkAccountId,
  checkBucketName,
  checkExternalId,
  checkKmsKeyArn,
  checkPrefix,
  checkRegion,
  checkRoleName,
  checkTrailName,
  errorsOf,
  normalisePrefix,
  type Problem,
  partitionOf,
} from "../../src/config/rules.js";

const ok = (problems: Problem[]) => errorsOf(problems).length === 0;
const rulesOf = (problems: Problem[]) => problems.map((p) => p.rule).join(" | ");

describe("account ID", () => {
  it.each([["123456789012"], ["000000000001"]])("accepts %s", (v) => expect(checkAccountId(v)).toEqual([]));
  it.each([["12345678901"], ["1234567890123"], ["12345678901a"], [" 123456789012"], [""]])("rejects %j", (v) =>
    expect(rulesOf(checkAccountId(v))).toMatch(/exactly 12 digits/),
  );
});

describe("role name", () => {
  it.each([["CloudsmithLogsWriter"], ["a"], ["x".repeat(64)], ["with+=,.@_-chars"]])("accepts %j", (v) =>
    expect(checkRoleName(v)).toEqual([]),
  );
  it.each([
    ["", /1-64/],
    ["x".repeat(65), /1-64/],
    ["has space", /only letters/],
    ["slash/name", /only letters/],
    ["naïve", /only letters/],
  ])("rejects %j", (v, rule) => expect(rulesOf(checkRoleName(v))).toMatch(rule));
});

describe("external ID", () => {
  it.each([["ab"], ["cs-ext:123/abc=+,.@_-"]])("accepts %j", (v) => expect(checkExternalId(v)).toEqual([]));
  it("accepts the longest allowed value", () => expect(checkExternalId("x".repeat(1224))).toEqual([]));
  it.each([
    ["a", /2-1224/],
    ["x".repeat(1225), /2-1224/],
    ["has space", /only letters/],
    ['quote"', /only letters/],
  ])("rejects %j", (v, rule) => expect(rulesOf(checkExternalId(v))).toMatch(rule));
});

describe("bucket name", () => {
  it.each([["cloudsmith-acme-logs"], ["abc"], ["a".repeat(63)], ["1bucket2"]])("accepts %j", (v) =>
    expect(checkBucketName(v)).toEqual([]),
  );
  it.each([
    ["ab", /3-63/],
    ["a".repeat(64), /3-63/],
    ["Upper-Case", /lowercase/],
    ["under_score", /lowercase/],
    ["-starts-with-dash", /starts and ends/],
    ["ends-with-dash-", /starts and ends/],
    ["two..dots", /adjacent dots/],
    ["192.168.5.4", /IP address/],
    ["xn--punycode", /'xn--'/],
    ["sthree-bucket", /'sthree-'/],
    ["amzn-s3-demo-bucket", /'amzn-s3-demo-'/],
    ["bucket-s3alias", /'-s3alias'/],
    ["bucket--ol-s3", /'--ol-s3'/],
    ["bucket.mrap", /'.mrap'/],
    ["bucket--x-s3", /'--x-s3'/],
    ["bucket--table-s3", /'--table-s3'/],
  ])("rejects %j", (v, rule) => {
    expect(ok(checkBucketName(v))).toBe(false);
    expect(rulesOf(checkBucketName(v))).toMatch(rule);
  });
  it("warns about dots without blocking", () => {
    const problems = checkBucketName("logs.acme.example");
    expect(ok(problems)).toBe(true);
    expect(rulesOf(problems)).toMatch(/dots .* TLS/);
  });
  it("lets an existing legacy bucket through with a warning", () => {
    for (const legacy of ["Legacy_Bucket", "x".repeat(100)]) {
      const problems = checkBucketName(legacy, { existing: true });
      expect(ok(problems)).toBe(true);
      expect(rulesOf(problems)).toMatch(/before March 2018/);
    }
  });
  it("still blocks what was never allowed, even for an existing bucket", () => {
    expect(ok(checkBucketName("has space", { existing: true }))).toBe(false);
    expect(ok(checkBucketName("ab", { existing: true }))).toBe(false);
  });
});

describe("prefix", () => {
  it.each([[""], ["client-logs"], ["logs/cloudsmith/client"], ["a.b_c-d=e"]])("accepts %j", (v) =>
    expect(checkPrefix(v)).toEqual([]),
  );
  it.each([
    ["/leading", /start with '\/'/],
    ["star*", /IAM wildcards/],
    ["quest?", /IAM wildcards/],
    ["a//b", /'\/\/'/],
    ["back\\slash", /avoids/],
    ["x".repeat(201), /at most 200 bytes/, 200],
  ])("rejects %j", (v, rule, max?: number) => expect(rulesOf(checkPrefix(v, { maxLength: max }))).toMatch(rule));
  it("normalises one trailing slash", () => {
    expect(normalisePrefix("client-logs/")).toBe("client-logs");
    expect(normalisePrefix("client-logs")).toBe("client-logs");
    expect(normalisePrefix("")).toBe("");
  });
});

describe("trail name", () => {
  it.each([["cloudsmith-log-export"], ["abc"], ["A1.b_c-2"]])("accepts %j", (v) =>
    expect(checkTrailName(v)).toEqual([]),
  );
  it.each([
    ["ab", /3-128/],
    ["x".repeat(129), /3-128/],
    ["-dash-first", /starts and ends/],
    ["last_", /starts and ends/],
    ["double--dash", /adjacent/],
    ["dot._underscore", /adjacent/],
    ["has space", /only letters/],
    ["10.0.0.1", /IP address/],
  ])("rejects %j", (v, rule) => expect(rulesOf(checkTrailName(v))).toMatch(rule));
});

describe("region and partition", () => {
  it.each([
    ["us-east-1", "aws"],
    ["eu-central-2", "aws"],
    ["ap-southeast-4", "aws"],
    ["cn-north-1", "aws-cn"],
    ["us-gov-west-1", "aws-us-gov"],
  ])("%s is in %s", (r, p) => {
    expect(checkRegion(r)).toEqual([]);
    expect(partitionOf(r)).toBe(p);
  });
  it.each([["us-east"], ["US-EAST-1"], ["mars-north-1"], [""]])("rejects %j", (r) =>
    expect(ok(checkRegion(r))).toBe(false),
  );
  it("requires a KMS key ARN in the region's partition", () => {
    const arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab";
    expect(checkKmsKeyArn(arn, "aws")).toEqual([]);
    expect(rulesOf(checkKmsKeyArn(arn, "aws-cn"))).toMatch(/partition 'aws'/);
    expect(rulesOf(checkKmsKeyArn("arn:aws:kms:us-east-1:123456789012:alias/logs", "aws"))).toMatch(/key ARN/);
  });
});

describe("properties: generated valid values pass, mutated ones fail", () => {
  const lowerAlnum = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789".split(""));
  const bucketName = fc
    .tuple(
      lowerAlnum,
      fc.array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-".split("")), { minLength: 1, maxLength: 61 }),
      lowerAlnum,
    )
    .map(([a, mid, b]) => a + mid.join("") + b)
    .filter((n) => !/^(xn--|sthree-|amzn-s3-demo-)|(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(n));

  it("valid bucket names pass", () => fc.assert(fc.property(bucketName, (n) => ok(checkBucketName(n)))));
  it("bucket names with an uppercase letter, '_' or a leading '-' fail", () =>
    fc.assert(
      fc.property(bucketName, fc.constantFrom("A", "_", "-lead", " "), fc.nat(), (n, bad, at) => {
        const i = bad === "-lead" ? 0 : at % n.length;
        const mutated = bad === "-lead" ? `-${n}` : n.slice(0, i) + bad + n.slice(i);
        return !ok(checkBucketName(mutated));
      }),
    ));
  it("bucket names longer than 63 fail", () =>
    fc.assert(fc.property(bucketName, (n) => !ok(checkBucketName(n.padEnd(64, "a"))))));

  const accountId = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }).map((d) => d.join(""));
  it("12-digit account IDs pass", () => fc.assert(fc.property(accountId, (a) => ok(checkAccountId(a)))));
  it("account IDs with a digit dropped, added or replaced by a letter fail", () =>
    fc.assert(
      fc.property(accountId, fc.integer({ min: 0, max: 11 }), fc.constantFrom("drop", "add", "letter"), (a, i, how) => {
        const mutated =
          how === "drop"
            ? a.slice(0, i) + a.slice(i + 1)
            : how === "add"
              ? `${a}7`
              : `${a.slice(0, i)}x${a.slice(i + 1)}`;
        return !ok(checkAccountId(mutated));
      }),
    ));

  const roleChar = fc.constantFrom(..."abcXYZ019+=,.@_-".split(""));
  const roleName = fc.array(roleChar, { minLength: 1, maxLength: 64 }).map((c) => c.join(""));
  it("valid role names pass", () => fc.assert(fc.property(roleName, (r) => ok(checkRoleName(r)))));
  it("role names with a forbidden character or over 64 fail", () =>
    fc.assert(
      fc.property(
        roleName,
        fc.constantFrom(" ", "/", "*", "#", "é"),
        (r, bad) => !ok(checkRoleName(r + bad)) && !ok(checkRoleName(r.padEnd(65, "x"))),
      ),
    ));

  const extChar = fc.constantFrom(..."abcXYZ019+=,.@:/_-".split(""));
  const externalId = fc.array(extChar, { minLength: 2, maxLength: 200 }).map((c) => c.join(""));
  it("valid External IDs pass", () => fc.assert(fc.property(externalId, (e) => ok(checkExternalId(e)))));
  it("External IDs with a forbidden character fail", () =>
    fc.assert(
      fc.property(externalId, fc.constantFrom(" ", '"', "*", "\\", "{"), (e, bad) => !ok(checkExternalId(e + bad))),
    ));

  const segment = fc
    .array(fc.constantFrom(..."abc-_.019".split("")), { minLength: 1, maxLength: 12 })
    .map((c) => c.join(""));
  const prefix = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));
  it("valid prefixes pass", () => fc.assert(fc.property(prefix, (p) => ok(checkPrefix(p)))));
  it("prefixes with a wildcard, a leading '/' or '//' fail", () =>
    fc.assert(
      fc.property(
        prefix,
        fc.constantFrom("*", "?", "//"),
        (p, bad) => !ok(checkPrefix(p + bad)) && !ok(checkPrefix(`/${p}`)),
      ),
    ));

  const trailName = fc
    .tuple(
      lowerAlnum,
      fc.array(fc.tuple(fc.constantFrom("", ".", "_", "-"), lowerAlnum), { minLength: 1, maxLength: 40 }),
    )
    .map(([first, rest]) => first + rest.map(([sep, c]) => sep + c).join(""))
    .filter((n) => n.length >= 3 && !/^\d+\.\d+\.\d+\.\d+$/.test(n));
  it("valid trail names pass", () => fc.assert(fc.property(trailName, (n) => ok(checkTrailName(n)))));
  it("trail names with adjacent separators or a trailing separator fail", () =>
    fc.assert(fc.property(trailName, fc.constantFrom("..", "_-", "-"), (n, bad) => !ok(checkTrailName(n + bad)))));
});
