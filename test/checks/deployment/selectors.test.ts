/** Event-selector evaluation: every field and operator, prefixes as "every object under", undecided where not modelled. */
import { describe, expect, it } from "vitest";
import { advancedRecords, basicRecords, type TrailEvent } from "../../../src/cloudtrail/selectors.js";

const PREFIX = "arn:aws:s3:::acme-logs/client-logs/";
const write: TrailEvent = {
  eventCategory: "Data",
  eventName: "PutObject",
  readOnly: "false",
  "resources.type": "AWS::S3::Object",
  "resources.ARN": { prefix: PREFIX },
};
const data = [
  { field: "eventCategory", equals: ["Data"] },
  { field: "resources.type", equals: ["AWS::S3::Object"] },
];
const sel = (...extra: Array<Record<string, unknown>>) => ({ fieldSelectors: [...data, ...extra] as never });

describe("advanced selectors", () => {
  it.each([
    [
      "the whole bucket (StartsWith a shorter prefix)",
      { field: "resources.ARN", startsWith: ["arn:aws:s3:::acme-logs/"] },
      true,
    ],
    [
      "a narrower prefix covers only part of the export",
      { field: "resources.ARN", startsWith: [`${PREFIX}2026/`] },
      false,
    ],
    ["an exact object ARN never covers a prefix", { field: "resources.ARN", equals: [`${PREFIX}x.gz`] }, false],
    ["NotStartsWith another bucket", { field: "resources.ARN", notStartsWith: ["arn:aws:s3:::other/"] }, true],
    [
      "NotStartsWith a folder inside the prefix excludes part of it",
      { field: "resources.ARN", notStartsWith: [`${PREFIX}tmp/`] },
      false,
    ],
    [
      "NotEquals an object inside the prefix excludes it",
      { field: "resources.ARN", notEquals: [`${PREFIX}x.gz`] },
      false,
    ],
    ["readOnly Equals false", { field: "readOnly", equals: ["false"] }, true],
    ["readOnly Equals true", { field: "readOnly", equals: ["true"] }, false],
    // Keys under a prefix may end in anything: a suffix filter leaves some of them out.
    ["EndsWith over a prefix leaves out keys without the suffix", { field: "resources.ARN", endsWith: [".gz"] }, false],
    [
      "NotEndsWith over a prefix leaves out keys with the suffix",
      { field: "resources.ARN", notEndsWith: [".tmp"] },
      false,
    ],
    ["EndsWith the empty suffix matches every key", { field: "resources.ARN", endsWith: [""] }, true],
    [
      "empty lists are 'not set' (as Terraform plans write them)",
      { field: "eventName", equals: ["PutObject"], notEquals: [], startsWith: [] },
      true,
    ],
  ] as const)("%s", (_name, fs, expected) => {
    expect(advancedRecords(sel(fs), write)).toBe(expected);
  });

  it.each([
    ["Equals and StartsWith in one field selector", { field: "eventName", equals: ["PutObject"], startsWith: ["Put"] }],
    ["a field the event does not carry", { field: "vpcEndpointId", equals: ["vpce-1"] }],
  ] as const)("undecided: %s", (_name, fs) => {
    expect(advancedRecords(sel(fs), write)).toMatchObject({ undecided: true });
  });
});

describe("basic selectors", () => {
  it("a data resource for the bucket records writes under the prefix", () => {
    expect(
      basicRecords(
        { readWriteType: "All", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::acme-logs/"] }] },
        write,
      ),
    ).toBe(true);
  });
  it("ReadOnly does not record writes", () => {
    expect(
      basicRecords(
        { readWriteType: "ReadOnly", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] },
        write,
      ),
    ).toBe(false);
  });
  it("management events from an excluded source are not recorded", () => {
    const event: TrailEvent = {
      eventCategory: "Management",
      eventSource: "codeartifact.amazonaws.com",
      readOnly: "true",
    };
    expect(
      basicRecords(
        { includeManagementEvents: true, excludeManagementEventSources: ["codeartifact.amazonaws.com"] },
        event,
      ),
    ).toBe(false);
    expect(basicRecords({ includeManagementEvents: true }, event)).toBe(true);
  });
});
