/** Small shared readers for rules: each turns facts into what the rule compares. */

import { s3Uri } from "../../../aws/s3.js";
import { CLOUDSMITH_ACCOUNT_ID, cloudsmithPrincipalArn, exportTargets } from "../../../config/derived.js";
import type { Config } from "../../../config/schema.js";
import { read } from "../../../engine/fact.js";
import type { Decision, NamedPolicy } from "../../../iam/eval/evaluate.js";
import type { PolicyDocument, Statement } from "../../../iam/policies/types.js";
import { asArray } from "../../../iam/policies/types.js";
import { statementCoversAction, statementsOf } from "../../../iam/policy-eval.js";
import type { BucketFacts, ConfigFacts } from "../facts.js";

export const roleResource = (cfg: Config): string => `role/${cfg.roleName}`;
export const bucketResource = (b: BucketFacts): string => s3Uri(b.name);
export const trailResource = (cfg: Config): string => `trail/${cfg.cloudtrail.name}`;

/** The trust policy's Allow statements that let someone assume the role. */
export function assumeStatements(doc: PolicyDocument): Statement[] {
  return statementsOf([doc]).filter(
    (s) =>
      s.Effect === "Allow" &&
      ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"].some((a) =>
        statementCoversAction(s, a),
      ),
  );
}

export function trustPolicyOf(facts: ConfigFacts): PolicyDocument | undefined {
  const role = read(facts.role, "the role");
  return role && read(role.trustPolicy, "the role's trust policy");
}

/** Cloudsmith's account as IAM may store it: the root ARN or the bare account ID. */
export const isCloudsmithPrincipal = (cfg: Config, value: string): boolean =>
  value === cloudsmithPrincipalArn(cfg) || value === CLOUDSMITH_ACCOUNT_ID;

/** An object key under each export prefix, to test what the role may really write. */
export function probeObjects(cfg: Config): Array<{ logType: string; prefix: string; arn: string }> {
  return exportTargets(cfg).map((t) => ({
    logType: t.logType,
    prefix: t.prefix,
    arn: t.objectArn.replace(/\*$/, "2026/01/01/cloudsmith-export-probe.json.gz"),
  }));
}

/** All identity-policy documents on the role; unreadable ones stop the rule. */
export function rolePolicyDocuments(facts: ConfigFacts): Array<{ name: string; doc: PolicyDocument }> {
  const policies = read(facts.rolePolicies, "the role's policies") ?? [];
  return policies.map((p) => ({
    name: p.kind === "managed" ? (p.arn ?? p.name) : `inline ${p.name}`,
    doc: read(p.document, `policy ${p.name}`) ?? { Version: "2012-10-17", Statement: [] },
  }));
}

export const conditionKeys = (s: Statement): string[] =>
  Object.values(s.Condition ?? {}).flatMap((byKey) => Object.keys(byKey));

export const values = (v: unknown): string[] => asArray(v as string | string[]).map(String);

/** The trust policy as the evaluator names it in messages. */
export const trustPolicyNamed = (cfg: Config, document: PolicyDocument): NamedPolicy => ({
  name: `the trust policy of role/${cfg.roleName}`,
  document,
});

/** Why a request was refused or could not be decided: the policy and statement, by Sid or position. */
export function describeDecision(d: Decision): string {
  if (d.undecided) return `${d.undecided.policy}, ${d.undecided.statement}: ${d.undecided.reason}`;
  if (d.deniedBy.length > 0) return `denied by ${d.deniedBy.map((r) => `${r.policy}, ${r.statement}`).join("; ")}`;
  if (d.decision === "implicit-deny")
    return "no statement allows it (its principal, action or conditions do not match)";
  return d.decision;
}
