/**
 * The advanced event selector that records S3 data events on the export
 * prefixes: what our trail carries, and what an existing trail needs added
 * (CloudTrail User Guide, "Logging data events"). One selector in the API's
 * shape (PutEventSelectors) and as Terraform (aws_cloudtrail
 * advanced_event_selector), so either can be pasted.
 */
import { bucketArn, exportTargets, keyPrefix } from "./derived.js";
import type { Config } from "./schema.js";

export const DATA_EVENTS_SELECTOR_NAME = "S3 data events on the Cloudsmith export prefixes";

/** `arn:aws:s3:::bucket/prefix/` for each export prefix. */
export const exportArnPrefixes = (cfg: Config): string[] =>
  exportTargets(cfg).map((t) => `${bucketArn(cfg)}/${keyPrefix(t.prefix)}`);

/** The selector as PutEventSelectors takes it (AdvancedEventSelectors[]). */
export function dataEventsSelector(cfg: Config) {
  return {
    Name: DATA_EVENTS_SELECTOR_NAME,
    FieldSelectors: [
      { Field: "eventCategory", Equals: ["Data"] },
      { Field: "resources.type", Equals: ["AWS::S3::Object"] },
      { Field: "resources.ARN", StartsWith: exportArnPrefixes(cfg) },
    ],
  };
}

/** The same selector as an HCL block for an aws_cloudtrail resource. */
export function dataEventsSelectorHcl(cfg: Config): string {
  const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(", ")}]`;
  return [
    "advanced_event_selector {",
    `  name = ${JSON.stringify(DATA_EVENTS_SELECTOR_NAME)}`,
    "  field_selector {",
    '    field  = "eventCategory"',
    '    equals = ["Data"]',
    "  }",
    "  field_selector {",
    '    field  = "resources.type"',
    '    equals = ["AWS::S3::Object"]',
    "  }",
    "  field_selector {",
    '    field       = "resources.ARN"',
    `    starts_with = ${list(exportArnPrefixes(cfg))}`,
    "  }",
    "}",
  ].join("\n");
}
