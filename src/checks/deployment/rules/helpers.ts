/** Small shared readers for rules: each turns facts into what the rule compares. */

import { s3Uri } from "../../../aws/s3.js";
import { exportTargets, trailArn } from "../../../config/derived.js";
import type { Config } from "../../../config/schema.js";
import { read, Undecidable } from "../../../engine/fact.js";
import type { NamedPolicy, PolicySet } from "../../../iam/eval/evaluate.js";
import type { PolicyDocument } from "../../../iam/policies/types.js";
import type { BucketFacts, DeploymentFacts } from "../facts.js";
import type { RoleTags } from "../requests.js";

export { describeDecision, mustBeRefused, type ProbeVerdicts, refusalProblems, where } from "../../refusals.js";

export const roleResource = (cfg: Config): string => `role/${cfg.roleName}`;
export const bucketResource = (b: BucketFacts): string => s3Uri(b.name);
export const trailResource = (cfg: Config): string =>
  cfg.cloudtrail.mode === "existing" ? trailArn(cfg) : `trail/${cfg.cloudtrail.name}`;

/**
 * The role's trust policy. A Terraform variable in it (`${var.cloudsmith_external_id}`) is known only
 * at plan time: ERROR, unless `worstCase` is given, for questions about outsiders who are assumed to
 * present exactly the value the variable will hold.
 */
export function trustPolicyOf(facts: DeploymentFacts, worstCase?: string): PolicyDocument | undefined {
  const role = read(facts.role, "the role");
  const doc = role && read(role.trustPolicy, "the role's trust policy");
  if (doc && worstCase !== undefined) {
    return JSON.parse(JSON.stringify(doc).replace(/\$\{var\.[A-Za-z0-9_-]+\}/g, worstCase)) as PolicyDocument;
  }
  const variable = doc && /\$\{(var\.[A-Za-z0-9_-]+)\}/.exec(JSON.stringify(doc))?.[1];
  if (variable) {
    throw new Undecidable(
      "ERROR",
      `the trust policy holds ${variable}, set at plan time: verify a plan (terraform show -json) or the deployment`,
    );
  }
  return doc;
}

/** An object key under each export prefix, to test what the role may really write. */
export function probeObjects(cfg: Config): Array<{ logType: string; prefix: string; arn: string }> {
  return exportTargets(cfg).map((t) => ({
    logType: t.logType,
    prefix: t.prefix,
    arn: t.objectArn.replace(/\*$/, "2026/01/01/cloudsmith-export-probe.json.gz"),
  }));
}

/** All identity-policy documents on the role; unreadable ones stop the rule. */
export function rolePolicyDocuments(facts: DeploymentFacts): Array<{ name: string; doc: PolicyDocument }> {
  const policies = read(facts.rolePolicies, "the role's policies") ?? [];
  return policies.map((p) => ({
    name: p.kind === "managed" ? `managed policy ${p.arn ?? p.name}` : `inline policy ${p.name}`,
    doc: read(p.document, `policy ${p.name}`) ?? { Version: "2012-10-17", Statement: [] },
  }));
}

/** The role's identity policies and boundary, named for messages; unreadable ones stop the rule. */
export function rolePolicySet(facts: DeploymentFacts): PolicySet {
  const boundary = read(facts.permissionsBoundary, "the permissions boundary");
  const arn = read(facts.role, "the role")?.permissionsBoundaryArn;
  return {
    identity: rolePolicyDocuments(facts).map((p) => ({ name: p.name, document: p.doc })),
    ...(boundary ? { boundary: { name: `the permissions boundary${arn ? ` ${arn}` : ""}`, document: boundary } } : {}),
  };
}

/** The trust policy as the evaluator names it in messages. */
export const trustPolicyNamed = (cfg: Config, document: PolicyDocument): NamedPolicy => ({
  name: `the trust policy of role/${cfg.roleName}`,
  document,
});

/** The configured External ID; without it Cloudsmith's request cannot be simulated: ERROR. */
export function requireExternalId(cfg: Config): string {
  if (cfg.externalId === undefined)
    throw new Undecidable(
      "ERROR",
      "externalId is not in the config, so Cloudsmith's request cannot be simulated (add it, e.g. with `init`)",
    );
  return cfg.externalId;
}

/** For questions about outsiders only: they are assumed to present the right External ID, whatever it will be. */
export const externalIdOrPlaceholder = (cfg: Config): string => cfg.externalId ?? "cs-ext-not-yet-issued";

/**
 * How a resource is there: deployed ("exists"), or only declared in the Terraform ("is planned",
 * "is in the synthesized stack"). Messages on a plan never claim that something exists.
 */
export function presence(facts: { source: string }): { is: string; isNot: string } {
  if (facts.source === "terraform-plan") return { is: "is in the plan", isNot: "is not in the plan" };
  if (facts.source === "terraform-json")
    return { is: "is in the synthesized stack", isNot: "is not in the synthesized stack" };
  return { is: "exists", isNot: "does not exist" };
}

/** The role's tags for its requests; a role that cannot be read has none to add (its rules stop on it anyway). */
export function roleTagsOf(facts: DeploymentFacts): RoleTags {
  return facts.role.state === "present" ? facts.role.value.tags : undefined;
}
