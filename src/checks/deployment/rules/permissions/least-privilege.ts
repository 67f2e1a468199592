import { bucketArn, exportTargets, partition } from "../../../../config/derived.js";
import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import { byDanger, candidateActions, candidateResources, type Grant, grantsOf } from "../../../../iam/eval/grants.js";
import { wildcardMatch } from "../../../../iam/eval/wildcard.js";
import { WRITER_ACTIONS } from "../../../../iam/policies/writer-policy.js";
import type { DeploymentFacts, DeploymentRule } from "../../facts.js";
import { roleWrite } from "../../requests.js";
import { probeObjects, rolePolicySet, roleResource, roleTagsOf, where } from "../helpers.js";

/** Where a stray grant could land: the bucket itself, elsewhere in it, another bucket, anything in any service. */
function probeResources(facts: DeploymentFacts, services: Iterable<string>): string[] {
  const cfg = facts.config;
  const p = partition(cfg);
  const bucket = bucketArn(cfg);
  return [
    ...probeObjects(cfg).map((o) => o.arn),
    bucket,
    `${bucket}/outside-the-export-prefixes/probe`,
    `arn:${p}:s3:::another-bucket`,
    `arn:${p}:s3:::another-bucket/probe`,
    ...(cfg.encryption.type === "SSE-KMS" ? [cfg.encryption.kmsKeyArn] : []),
    ...[...services].map((s) => `arn:${p}:${s}:${cfg.region}:${cfg.accountId}:probe`),
  ];
}

const list = (items: string[], max: number): string =>
  items.length > max ? `${items.slice(0, max).join(", ")} and ${items.length - max} more` : items.join(", ");

/**
 * One line per granting statement: the actions beyond the export writes, most
 * dangerous first, then the export writes granted beyond the export prefixes.
 */
function describe(extras: Grant[], isWanted: (action: string) => boolean): string {
  const groups = new Map<string, Grant[]>();
  for (const g of extras) groups.set(where(g.by), [...(groups.get(where(g.by)) ?? []), g]);
  const lines = [...groups].map(([by, gs]) => {
    const actions = [...new Set(gs.filter((g) => !isWanted(g.action)).map((g) => g.action))].sort(byDanger);
    const writes = [...new Set(gs.filter((g) => isWanted(g.action)).map((g) => g.action))];
    const places = [...new Set(gs.filter((g) => isWanted(g.action)).map((g) => g.resource))];
    const vias = [...new Set(gs.map((g) => (g.by.via === "NotAction" ? "NotAction" : `"${g.by.via}"`)))];
    const when = gs.find((g) => g.when)?.when;
    const parts = [
      ...(actions.length > 0 ? [list(actions, 6)] : []),
      ...(writes.length > 0 ? [`${writes.join(" and ")} beyond the export prefixes (${list(places, 3)})`] : []),
    ];
    return {
      top: actions[0] ?? writes[0]!,
      text: `${by} grants ${parts.join("; ")} (through ${vias.join(", ")}${when ? `, when ${when}` : ""})`,
    };
  });
  return lines
    .sort((a, b) => byDanger(a.top, b.top))
    .map((l) => l.text)
    .join("; ");
}

export const permissionsLeastPrivilege: DeploymentRule = {
  id: "permissions.least-privilege",
  title: "The role's policies allow nothing beyond the export writes",
  severity: "high",
  rationale:
    'The role is assumed by a third party. Extra actions (s3:*, s3:Put*, Get/List/Delete), other buckets or prefixes, or Resource "*" turn an export role into access to your data.',
  remediation: {
    terraform:
      "Attach only the generated inline policy; remove other inline policies and managed policies (e.g. AmazonS3FullAccess) from the role.",
    console:
      "IAM > Roles > (role) > Permissions: remove every policy except the writer policy for <bucket>/<prefix>/*.",
  },
  docs: "Asks the evaluator, for every action the role's inline and attached policies could grant (their patterns expanded from AWS's action list; `*`, service wildcards and NotAction stand for a list of dangerous actions) on every resource they name and on probes (the bucket, elsewhere in it, another bucket, any resource of the service), whether the role's session is allowed, with identity Denies and the permissions boundary applied. Anything beyond s3:PutObject and s3:PutObjectAcl under the export prefixes (and kms:GenerateDataKey on the configured key with SSE-KMS) fails, most dangerous first (permissions management, writes, reads, lists, tagging), naming the statement and the pattern that granted it. A grant that hangs on an undecided condition counts.",
  evaluate(facts) {
    const cfg = facts.config;
    if (!read(facts.role, "the role")) return fail(roleResource(cfg), "the role does not exist");
    const policies = rolePolicySet(facts);
    const kmsKey = cfg.encryption.type === "SSE-KMS" ? cfg.encryption.kmsKeyArn : undefined;
    const wanted = [...WRITER_ACTIONS, ...(kmsKey ? ["kms:GenerateDataKey"] : [])];
    const isWanted = (action: string) => wanted.some((w) => w.toLowerCase() === action.toLowerCase());
    const docs = (policies.identity ?? []).map((p) => p.document);
    const actions = candidateActions(docs, wanted);
    const services = new Set(actions.map((a) => a.split(":")[0]!.toLowerCase()));
    const resources = candidateResources(docs, probeResources(facts, services));
    const expected = (g: Grant) =>
      (kmsKey !== undefined && g.action.toLowerCase() === "kms:generatedatakey" && g.resource === kmsKey) ||
      (WRITER_ACTIONS.some((w) => w.toLowerCase() === g.action.toLowerCase()) &&
        exportTargets(cfg).some((t) => wildcardMatch(t.objectArn, g.resource)));
    const tags = roleTagsOf(facts);
    const extras = grantsOf(policies, actions, resources, (a, r) => roleWrite(cfg, a, r, tags)).filter(
      (g) => !expected(g),
    );
    return extras.length > 0
      ? fail(roleResource(cfg), describe(extras, isWanted))
      : pass(roleResource(cfg), "only the export writes are allowed");
  },
};
