/**
 * Does a trail's event selectors record a given event? CloudTrail User Guide,
 * "Filtering data events by using advanced event selectors" and "Logging
 * management events": an advanced selector records an event when every one
 * of its field selectors matches; a trail records it when any selector does.
 * Every field and operator is evaluated (Equals, NotEquals, StartsWith,
 * NotStartsWith, EndsWith, NotEndsWith). A field value may be a prefix
 * standing for "every value that starts with it" (all objects under an
 * export prefix): the selector must match all of them, so EndsWith and
 * NotEndsWith over a prefix never do (keys may end in anything). What is not
 * modelled (a field the event does not carry, several positive operators in
 * one field selector) is undecided, never "recorded".
 */
import { and, or, type Tri, undecided } from "../iam/eval/tri.js";
import type { AdvancedSelector, BasicSelector, FieldSelector } from "./selector-types.js";

/** An exact value, or every value starting with `prefix`. */
export type FieldValue = string | { prefix: string };

/** The event in question: its value for each field CloudTrail filters on. */
export type TrailEvent = Record<string, FieldValue>;

const isPrefix = (v: FieldValue): v is { prefix: string } => typeof v === "object";

function operator(op: keyof Omit<FieldSelector, "field">, values: string[], v: FieldValue): Tri {
  if (!isPrefix(v)) {
    switch (op) {
      case "equals":
        return values.includes(v);
      case "notEquals":
        return !values.includes(v);
      case "startsWith":
        return values.some((p) => v.startsWith(p));
      case "notStartsWith":
        return !values.some((p) => v.startsWith(p));
      case "endsWith":
        return values.some((s) => v.endsWith(s));
      case "notEndsWith":
        return !values.some((s) => v.endsWith(s));
    }
  }
  const P = v.prefix;
  switch (op) {
    case "equals":
      return false; // one value never stands for every value under a prefix
    case "notEquals":
      return !values.some((x) => x.startsWith(P));
    case "startsWith":
      return values.some((p) => P.startsWith(p));
    case "notStartsWith":
      return !values.some((p) => P.startsWith(p) || p.startsWith(P));
    // Keys under a prefix may end in anything: EndsWith leaves out every key without the suffix, and
    // NotEndsWith every key with it, so neither records every object under P (an empty suffix aside).
    case "endsWith":
      return values.some((x) => x === "");
    case "notEndsWith":
      return !values.some((x) => x !== "");
  }
}

const OPS = ["equals", "notEquals", "startsWith", "notStartsWith", "endsWith", "notEndsWith"] as const;

function fieldMatches(fs: FieldSelector, event: TrailEvent): Tri {
  const v = event[fs.field];
  if (v === undefined)
    return undecided(fs.field, `the selector filters on ${fs.field}, which this check does not model`);
  // An empty list is "not set" (Terraform plans write [] for every operator left out).
  const used = OPS.filter((op) => (fs[op]?.length ?? 0) > 0);
  if (used.filter((op) => !op.startsWith("not")).length > 1) {
    return undecided(fs.field, `the field selector on ${fs.field} combines ${used.join(" and ")}`);
  }
  return and(used.map((op) => operator(op, fs[op]!, v)));
}

export const advancedRecords = (s: AdvancedSelector, event: TrailEvent): Tri =>
  and(s.fieldSelectors.map((fs) => fieldMatches(fs, event)));

/** Basic selectors: management events by read/write type and excluded sources; S3 object data events by ARN prefix. */
export function basicRecords(s: BasicSelector, event: TrailEvent): Tri {
  const readOnly = event.readOnly === "true";
  const type = s.readWriteType ?? "All";
  if ((readOnly && type === "WriteOnly") || (!readOnly && type === "ReadOnly")) return false;
  if (event.eventCategory === "Management") {
    const source = event.eventSource;
    return (
      s.includeManagementEvents !== false &&
      !(typeof source === "string" && s.excludeManagementEventSources?.includes(source))
    );
  }
  const arn = event["resources.ARN"];
  if (event["resources.type"] !== "AWS::S3::Object" || arn === undefined) return false;
  return (s.dataResources ?? []).some(
    (d) =>
      d.type === "AWS::S3::Object" &&
      d.values.some(
        (p) => /^arn:aws[a-z-]*:s3(:::)?$/.test(p) || (isPrefix(arn) ? arn.prefix.startsWith(p) : arn.startsWith(p)),
      ),
  );
}

/** Whether the trail records the event: any advanced selector, else any basic selector. */
export function trailRecords(
  selectors: { basic: BasicSelector[]; advanced: AdvancedSelector[] },
  event: TrailEvent,
): Tri {
  return or([
    ...selectors.advanced.map((s) => advancedRecords(s, event)),
    ...selectors.basic.map((s) => basicRecords(s, event)),
  ]);
}

export const CODEARTIFACT = "codeartifact.amazonaws.com";

/** A CodeArtifact call by anyone: a package download (read-only) or a publish (write). */
export const codeArtifactEvent = (readOnly: boolean): TrailEvent => ({
  eventCategory: "Management",
  eventSource: CODEARTIFACT,
  eventName: readOnly ? "ReadFromRepository" : "PublishPackageVersion",
  eventType: "AwsApiCall",
  readOnly: String(readOnly),
  "userIdentity.arn": { prefix: "arn:" },
  sessionCredentialFromConsole: "false",
});
