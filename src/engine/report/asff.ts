/**
 * AWS Security Finding Format (Security Hub's BatchImportFindings), one finding per rule and
 * resource in each account. Ids are the fingerprint SARIF and GitLab use (rule and resource),
 * keyed by account and region, so a second run updates the same findings instead of adding new
 * ones; a result that passes again is sent as Compliance PASSED, which Security Hub turns into a
 * RESOLVED workflow. An ERROR (could not decide) is NOT_AVAILABLE, never PASSED; ADVICE is
 * WARNING; a suppressed result keeps its status and is sent SUPPRESSED with its reason. SKIPPED
 * results are not findings.
 */
import type { Result } from "../evaluate.js";
import type { Rule, Severity } from "../rule.js";
import { fingerprint } from "./sarif.js";

export interface AsffReport {
  config: string;
  /** The config's account and region: where the findings belong. */
  account?: string;
  region?: string;
  /** aws, aws-cn or aws-us-gov: the config's region decides it. */
  partition?: string;
  results: readonly Result[];
}

export interface AsffMeta {
  now: Date;
  ruleUrl: (id: string) => string;
}

/** Security Hub's field limits (AwsSecurityFinding): longer text is cut, never refused. */
const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

const LABEL: Record<Severity, string> = {
  critical: "CRITICAL",
  high: "HIGH",
  medium: "MEDIUM",
  low: "LOW",
  info: "INFORMATIONAL",
};

/** The resource as Security Hub names it: an ARN and its type where the tool's name maps to one. */
function resourceOf(resource: string, partition: string, account: string, region: string) {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(resource);
  if (s3) return { Type: "AwsS3Bucket", Id: `arn:${partition}:s3:::${s3[1]}` };
  if (/^arn:[^:]+:iam::\d{12}:role\//.test(resource)) return { Type: "AwsIamRole", Id: resource };
  if (/^arn:[^:]+:cloudtrail:/.test(resource)) return { Type: "AwsCloudTrailTrail", Id: resource };
  const trail = /^trail\/(.+)$/.exec(resource);
  if (trail)
    return { Type: "AwsCloudTrailTrail", Id: `arn:${partition}:cloudtrail:${region}:${account}:trail/${trail[1]}` };
  if (/^arn:[^:]+:kms:/.test(resource)) return { Type: "AwsKmsKey", Id: resource };
  return { Type: "Other", Id: resource === "-" ? `account/${account}` : resource };
}

function compliance(status: Result["status"]): "PASSED" | "FAILED" | "WARNING" | "NOT_AVAILABLE" {
  switch (status) {
    case "PASS":
      return "PASSED";
    case "FAIL":
      return "FAILED";
    case "ADVICE":
      return "WARNING";
    default:
      return "NOT_AVAILABLE";
  }
}

export function asffFindings(reports: readonly AsffReport[], rules: readonly Rule<never>[], meta: AsffMeta) {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const now = meta.now.toISOString();
  return reports.flatMap((rep) => {
    if (!rep.account || !rep.region) throw new Error(`${rep.config}: no account and region for Security Hub findings`);
    const account = rep.account;
    const region = rep.region;
    const partition = rep.partition ?? "aws";
    return rep.results
      .filter((r) => r.status !== "SKIPPED" || r.suppression !== undefined)
      .map((r) => {
        const status = r.suppression?.originalStatus ?? r.status;
        const rule = byId.get(r.ruleId);
        const id = fingerprint({ ruleId: r.ruleId, resource: `${account}/${region}\n${r.resource}` });
        return {
          SchemaVersion: "2018-10-08",
          Id: `cloudsmith-log-export/${id}`,
          ProductArn: `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`,
          GeneratorId: `cloudsmith-log-export/${r.ruleId}`,
          AwsAccountId: account,
          Types: ["Software and Configuration Checks/AWS Security Best Practices"],
          CreatedAt: now,
          UpdatedAt: now,
          Severity: { Label: status === "PASS" ? "INFORMATIONAL" : LABEL[r.severity] },
          Title: cut(`${r.ruleId}: ${r.title}`, 256),
          Description: cut(`${status === "FAIL" ? "" : `${status}: `}${r.message}`, 1024),
          ...(rule
            ? {
                Remediation: {
                  Recommendation: { Text: cut(rule.remediation.terraform, 512), Url: meta.ruleUrl(r.ruleId) },
                },
              }
            : {}),
          ProductFields: {
            "cloudsmith-log-export/RuleId": r.ruleId,
            "cloudsmith-log-export/Status": r.status,
            "cloudsmith-log-export/Config": cut(rep.config, 1024),
          },
          Resources: [{ ...resourceOf(r.resource, partition, account, region), Partition: partition, Region: region }],
          Compliance: { Status: compliance(status) },
          ...(r.suppression
            ? {
                Workflow: { Status: "SUPPRESSED" },
                Note: { Text: cut(r.suppression.reason, 512), UpdatedBy: "cloudsmith-log-export", UpdatedAt: now },
              }
            : {}),
          RecordState: "ACTIVE",
        };
      });
  });
}

export type AsffFinding = ReturnType<typeof asffFindings>[number];

export const renderAsff = (reports: readonly AsffReport[], rules: readonly Rule<never>[], meta: AsffMeta): string =>
  `${JSON.stringify(asffFindings(reports, rules, meta), null, 2)}\n`;
