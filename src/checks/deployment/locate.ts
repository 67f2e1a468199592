/**
 * Where a static run's results point, for code scanning: the line of the
 * Terraform resource the rule is about, in the synthesized cdk.tf.json or the
 * plan. Anything not found points at the file's first line: a result never
 * lacks a location.
 */
import type { Location, Result } from "../../engine/evaluate.js";
import { lineColumn } from "../../util/line-column.js";
import { quotedPattern as quoted, reportUri } from "../../util/report-uri.js";
import type { TfFile, TfResource } from "./collect/static/terraform.js";

/** The Terraform types a rule is about, most specific first. */
const TYPES_BY_RULE: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["bucket.public-access-block", ["aws_s3_bucket_public_access_block"]],
  ["bucket.encryption", ["aws_s3_bucket_server_side_encryption_configuration"]],
  ["bucket.object-ownership", ["aws_s3_bucket_ownership_controls"]],
  ["bucket.requester-pays", ["aws_s3_bucket_request_payment_configuration", "aws_s3_bucket"]],
  ["bucket.tls-only", ["aws_s3_bucket_policy"]],
  ["bucket.private", ["aws_s3_bucket_policy"]],
  ["bucket.no-deny-writer", ["aws_s3_bucket_policy"]],
  ["trail.bucket-policy", ["aws_s3_bucket_policy"]],
  ["permissions.kms", ["aws_kms_grant", "aws_iam_role_policy"]],
  ["permissions.", ["aws_iam_role_policy", "aws_iam_role"]],
  ["trust.", ["aws_iam_role"]],
  ["role.", ["aws_iam_role"]],
  ["bucket.", ["aws_s3_bucket"]],
  ["trail.", ["aws_cloudtrail"]],
  ["analyzer.", ["aws_iam_role"]],
];

/** Where a resource is declared: its block in cdk.tf.json, its first `address` in a plan. */
function offsetOf(src: TfFile, r: TfResource): number {
  if (src.kind === "terraform-plan") {
    const m = new RegExp(`"address"\\s*:\\s*${quoted(r.address)}`).exec(src.text);
    return m ? m.index : -1;
  }
  const resources = /"resource"\s*:\s*\{/.exec(src.text);
  if (!resources) return -1;
  const type = new RegExp(`${quoted(r.type)}\\s*:\\s*\\{`, "g");
  type.lastIndex = resources.index;
  const t = type.exec(src.text);
  if (!t) return -1;
  const name = new RegExp(`${quoted(r.name)}\\s*:\\s*\\{`, "g");
  name.lastIndex = t.index;
  const n = name.exec(src.text);
  return n ? n.index : -1;
}

/** Whether a resource belongs to what the result names (a bucket, a role, a trail). */
function concerns(r: TfResource, resource: string): boolean {
  const v = r.values;
  const bucket = /^s3:\/\/([^/]+)/.exec(resource)?.[1];
  if (bucket !== undefined) return v.bucket === bucket;
  const role = /^role\/(.+)$/.exec(resource)?.[1];
  if (role !== undefined) return r.type === "aws_iam_role" ? v.name === role : v.role === role;
  const trail = /^trail\/(.+)$/.exec(resource)?.[1];
  if (trail !== undefined) return v.name === trail;
  return false;
}

export function terraformLocator(src: TfFile): (r: Result) => Location {
  const uri = reportUri(src.file);
  const found = new Map<string, Location>();
  return (result) => {
    const key = `${result.ruleId}\n${result.resource}`;
    const cached = found.get(key);
    if (cached) return cached;
    const types = TYPES_BY_RULE.find(([prefix]) => result.ruleId.startsWith(prefix))?.[1] ?? [];
    let at: Location = { uri, line: 1 };
    for (const type of types) {
      const candidates = src.resources.filter((r) => r.type === type);
      const target = candidates.find((r) => concerns(r, result.resource)) ?? candidates[0];
      const offset = target ? offsetOf(src, target) : -1;
      if (offset >= 0 && target) {
        const start = lineColumn(src.text, offset);
        // The block's first line: from the key to the end of that line.
        const lineEnd = src.text.indexOf("\n", offset);
        const end = (lineEnd < 0 ? src.text.length : lineEnd) - (offset - start.column + 1) + 1;
        // Only a resource of the root module can be declared in the working folder's .tf files.
        const address = target.address.startsWith("module.") ? undefined : target.address;
        at = { uri, ...start, endLine: start.line, endColumn: end, ...(address ? { address } : {}) };
        break;
      }
    }
    found.set(key, at);
    return at;
  };
}
