import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportTargets, roleArn, trailArn, trailBucketName } from "../../src/config/derived.js";
import { configJsonSchema } from "../../src/config/json-schema.js";
import { ConfigError, mergeConfig, parseConfig, readConfigFile } from "../../src/config/load.js";
import { checkBucketName } from "../../src/config/rules.js";
import { base } from "../helpers/configs.js";

function issuesOf(input: unknown) {
  try {
    parseConfig(input);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("applies secure defaults", () => {
    const { config, warnings } = parseConfig({
      accountId: "123456789012",
      region: "eu-west-1",
      bucket: { name: "acme-logs" },
      logTypes: { audit: { prefix: "audit-logs/" } },
    });
    expect(config).toMatchObject({
      roleName: "CloudsmithLogsWriter",
      format: "json-stream-timestamp",
      scope: { type: "organization" },
      exclude: [],
      bucket: { existing: false },
      logTypes: { audit: { prefix: "audit-logs" } },
      cloudtrail: {
        mode: "create",
        name: "cloudsmith-log-export",
        prefix: "cloudtrail",
        multiRegion: true,
        dataEvents: true,
      },
      encryption: { type: "SSE-S3" },
      versioning: true,
      backend: { type: "local" },
    });
    expect(config.externalId).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it("reports every error at once, naming the field, the value and the rule", () => {
    const issues = issuesOf({
      accountId: "12345",
      region: "us-east-1",
      bucket: { name: "Bad_Bucket" },
      logTypes: { client: { prefix: "/logs*" } },
      roleName: "bad role",
      externalId: "x",
      cloudtrail: { name: "-trail" },
    });
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(Object.keys(byPath).sort()).toEqual([
      "accountId",
      "bucket.name",
      "cloudtrail.name",
      "externalId",
      "logTypes.client.prefix",
      "roleName",
    ]);
    expect(byPath.accountId).toMatchObject({ value: "12345", message: expect.stringMatching(/12 digits/) });
    expect(byPath["bucket.name"]).toMatchObject({ value: "Bad_Bucket", message: expect.stringMatching(/lowercase/) });
    expect(byPath["logTypes.client.prefix"]?.value).toBe("/logs*");
    expect(byPath.externalId?.message).toMatch(/2-1224/);
  });

  it("retention: the PCI DSS profile's minimums, and a lifecycle that would expire evidence sooner, are refused by field", () => {
    const issues = issuesOf({
      ...base,
      retention: { profile: "pci-dss", immediateDays: 30 },
      lifecycle: { expireAfterDays: 90 },
    });
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ["retention.immediateDays", "the pci-dss profile keeps at least 90 days immediately available"],
      ["lifecycle.expireAfterDays", "expires exports after 90 days, before the 365 days retention keeps them"],
    ]);
    expect(issuesOf({ ...base, retention: {} }).map((i) => i.path)).toEqual(["retention.days"]);
    expect(() => parseConfig({ ...base, retention: { days: 400 }, lifecycle: { expireAfterDays: 400 } })).not.toThrow();
  });

  it("rejects a config with no log type", () => {
    expect(issuesOf({ ...base, logTypes: {} })).toEqual([
      expect.objectContaining({ path: "logTypes", message: expect.stringMatching(/at least one log type/) }),
    ]);
  });

  it("names missing required fields and unknown (misspelled) fields", () => {
    const issues = issuesOf({ region: "us-east-1", bukcet: { name: "x" }, logTypes: { client: {} } });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "accountId", message: "required field is missing" }),
        expect.objectContaining({ path: "bucket", message: "required field is missing" }),
        expect.objectContaining({ path: "(config)", message: expect.stringMatching(/unknown field 'bukcet'/) }),
      ]),
    );
  });

  it("refuses China and GovCloud regions, with the reason: Cloudsmith's account is only in the commercial partition", () => {
    for (const region of ["cn-north-1", "us-gov-west-1"]) {
      expect(issuesOf({ ...base, region })).toEqual([
        expect.objectContaining({
          path: "region",
          message: expect.stringMatching(
            /Cloudsmith's account 884446598447 exists only in the commercial AWS partition/,
          ),
        }),
      ]);
    }
  });

  it("checks the KMS key against the bucket: its region (an error) and its account (a warning)", () => {
    const issues = issuesOf({
      ...base,
      encryption: { type: "SSE-KMS", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc" },
    });
    expect(issues).toEqual([
      expect.objectContaining({
        path: "encryption.kmsKeyArn",
        message: expect.stringMatching(
          /in eu-west-1, but the bucket is in us-east-1: S3 only uses keys in the bucket's region/,
        ),
      }),
    ]);
    const { warnings } = parseConfig({
      ...base,
      encryption: { type: "SSE-KMS", kmsKeyArn: "arn:aws:kms:us-east-1:999988887777:key/abc" },
    });
    expect(warnings).toEqual([
      expect.objectContaining({ path: "encryption.kmsKeyArn", message: expect.stringMatching(/account 999988887777/) }),
    ]);
  });

  it("requires a non-trivial reason for a suppression", () => {
    const issues = issuesOf({ ...base, suppressions: [{ rule: "trail.kms", reason: "no" }] });
    expect(issues).toEqual([expect.objectContaining({ path: "suppressions.0.reason" })]);
  });

  it("derives a valid dedicated trail bucket from any existing bucket name: long or legacy", () => {
    const long = `a${"b".repeat(59)}`; // 60 chars: valid, but "<name>-trail" would be 66
    const fromLong = trailBucketName(parseConfig({ ...base, bucket: { name: long, existing: true } }).config);
    expect(fromLong).toBe(`a${"b".repeat(56)}-trail`);
    expect(checkBucketName(fromLong).filter((p) => p.severity === "error")).toEqual([]);
    // A pre-2018 name (capitals, underscores) is allowed for the existing bucket, never in the new one's name.
    expect(
      trailBucketName(parseConfig({ ...base, bucket: { name: "Legacy_Bucket.2017", existing: true } }).config),
    ).toBe("legacy-bucket.2017-trail");
    expect(
      trailBucketName(
        parseConfig({ ...base, bucket: { name: long, existing: true }, cloudtrail: { bucket: "acme-trail" } }).config,
      ),
    ).toBe("acme-trail");
  });

  it("warns without blocking", () => {
    const { warnings } = parseConfig({
      ...base,
      bucket: { name: "logs.acme.example" },
      logTypes: { client: { prefix: "" }, audit: { prefix: "" } },
    });
    const paths = warnings.map((w) => w.path);
    expect(paths).toEqual(expect.arrayContaining(["bucket.name", "logTypes.audit.prefix", "cloudtrail.dataEvents"]));
    expect(warnings.every((w) => w.severity === "warning")).toBe(true);
  });

  it("accepts a legacy existing bucket name with a warning", () => {
    const { warnings } = parseConfig({
      ...base,
      bucket: { name: "Legacy_Bucket", existing: true },
      cloudtrail: { bucket: "legacy-trail" },
    });
    expect(warnings).toEqual([
      expect.objectContaining({ path: "bucket.name", message: expect.stringMatching(/before March 2018/) }),
    ]);
  });

  it("normalises trailing slashes in prefixes", () => {
    const { config } = parseConfig({ ...base, logTypes: { client: { prefix: "client-logs/" } } });
    expect(config.logTypes.client?.prefix).toBe("client-logs");
  });
});

describe("derived names", () => {
  it("computes ARNs in the region's partition", () => {
    // A config refuses GovCloud; the derived names still follow the partition of whatever region they get.
    const config = { ...parseConfig(base).config, region: "us-gov-west-1" };
    expect(roleArn(config)).toBe("arn:aws-us-gov:iam::123456789012:role/CloudsmithLogsWriter");
    expect(trailArn(config)).toBe("arn:aws-us-gov:cloudtrail:us-gov-west-1:123456789012:trail/cloudsmith-log-export");
    expect(exportTargets(config).map((t) => t.objectArn)).toEqual([
      "arn:aws-us-gov:s3:::cloudsmith-acme-logs/client-logs/*",
      "arn:aws-us-gov:s3:::cloudsmith-acme-logs/audit-logs/*",
    ]);
  });
  it("uses bucket/* for the bucket root and a dedicated trail bucket for an existing bucket", () => {
    const { config } = parseConfig({
      ...base,
      bucket: { name: "acme-existing", existing: true },
      logTypes: { client: { prefix: "" } },
    });
    expect(exportTargets(config)[0]?.objectArn).toBe("arn:aws:s3:::acme-existing/*");
    expect(trailBucketName(config)).toBe("acme-existing-trail");
  });
});

describe("config files", () => {
  it("reads JSON with a BOM and reports bad JSON and missing files as config errors", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-config-"));
    await writeFile(join(dir, "good.json"), `\uFEFF${JSON.stringify(base)}`);
    await writeFile(join(dir, "bad.json"), "{ accountId: 1 ");
    expect(await readConfigFile(join(dir, "good.json"))).toEqual(base);
    await expect(readConfigFile(join(dir, "bad.json"))).rejects.toThrow(/not valid JSON/);
    await expect(readConfigFile(join(dir, "missing.json"))).rejects.toThrow(/not found/);
  });

  it("merges overrides deeply, leaving undefined values alone", () => {
    expect(mergeConfig({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 9, d: undefined }, e: [1] })).toEqual({
      a: 1,
      b: { c: 9, d: 3 },
      e: [1],
    });
  });

  it("ships a JSON Schema generated from the config model, and the example follows it", () => {
    const committed = JSON.parse(
      readFileSync(new URL("../../schema/cloudsmith-log-export.schema.json", import.meta.url), "utf8"),
    );
    expect(committed, "schema/ is stale: run `npm run build && npm run schema`").toEqual(configJsonSchema());
    const example = JSON.parse(
      readFileSync(new URL("../../examples/cloudsmith-log-export.example.json", import.meta.url), "utf8"),
    );
    expect(example.$schema).toBe("../schema/cloudsmith-log-export.schema.json");
    expect(() => parseConfig(example)).not.toThrow();
    expect(
      Object.keys(example)
        .filter((k) => k !== "$schema")
        .every((k) => k in (committed.properties as object)),
    ).toBe(true);
  });
});

describe("hostile config input", () => {
  const errorsOf = (input: unknown): string => {
    try {
      parseConfig(input);
    } catch (e) {
      return (e as Error).message;
    }
    return "";
  };

  it.each([
    ["a C1 control (NEL)", "client\u0085logs"],
    ["a right-to-left override", "logs\u202egnp.exe"],
    ["U+FFFD, a byte that was not UTF-8", "caf\ufffd"],
  ])("a prefix with %s is refused, shown escaped", (_name, prefix) => {
    const m = errorsOf({ ...base, logTypes: { client: { prefix } } });
    expect(m).toMatch(/logTypes.client.prefix .*a prefix avoids control and bidirectional-override characters/);
    expect(m).not.toMatch(/[\u0085\u202e]/);
  });

  it("a suppression reason that could redraw the report is refused", () => {
    const m = errorsOf({
      ...base,
      suppressions: [{ rule: "trust.external-id", reason: "accepted risk\r\u001b[2K  PASS  trust.external-id" }],
    });
    expect(m).toMatch(/a suppression reason is printable text/);
    expect(m).not.toMatch(/[\r\u001b]/);
  });

  it("the S3 backend: key and lock table validated, no stray organization field", () => {
    const backend = { type: "s3", bucket: "acme-tf-state", region: "us-east-1" };
    expect(errorsOf({ ...base, backend: { ...backend, key: "/abs\u0000key" } })).toMatch(
      /backend.key .*a state key does not start with '\/'.*|backend.key .*control/,
    );
    expect(
      errorsOf({ ...base, backend: { ...backend, key: "ok.tfstate", dynamodbTable: "no spaces allowed" } }),
    ).toMatch(/backend.dynamodbTable .*a DynamoDB table name is 3-255/);
    expect(errorsOf({ ...base, backend: { ...backend, key: "ok.tfstate", organization: "acme" } })).toMatch(
      /unknown field 'organization'/,
    );
  });

  it("a 5 MB value is cut in the message, and an escape in an unknown key is shown escaped", () => {
    const m = errorsOf({ ...base, bucket: { name: "x".repeat(5_000_000) }, "evil\u001b[31m": 1 });
    expect(m.length).toBeLessThan(2000);
    expect(m).toMatch(/… \(5000002 characters\)/);
    expect(m).toContain("evil\\x1b[31m");
  });

  it("a config file that is not UTF-8 is refused with where, never read with U+FFFD", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-utf8-"));
    const file = join(dir, "c.json");
    const json = Buffer.from(JSON.stringify({ ...base, logTypes: { client: { prefix: "caf_" } } }));
    json[json.indexOf("caf_") + 3] = 0xe9; // é in Latin-1
    await writeFile(file, json);
    await expect(readConfigFile(file)).rejects.toThrow(
      /not valid UTF-8 at line 1, column \d+: byte \d+ is not UTF-8: save the file as UTF-8/,
    );
  });
});
