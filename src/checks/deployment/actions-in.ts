/** Every Action a deployment's policies name, so the rules can expand their wildcards. */
import type { Fact } from "../../engine/fact.js";
import { asArray, type PolicyDocument, type Statement } from "../../iam/policies/types.js";
import type { DeploymentFacts } from "./facts.js";

export function actionsIn(facts: Partial<DeploymentFacts>): string[] {
  const docs: PolicyDocument[] = [];
  const add = (f: Fact<PolicyDocument | null> | undefined) => {
    if (f?.state === "present" && f.value) docs.push(f.value);
  };
  if (facts.rolePolicies?.state === "present") for (const p of facts.rolePolicies.value) add(p.document);
  add(facts.permissionsBoundary);
  if (facts.role?.state === "present") add(facts.role.value.trustPolicy);
  add(facts.exportBucket?.policy);
  add(facts.trailBucket?.policy);
  add(facts.kmsKeyPolicy);
  return [
    "s3:PutObject",
    ...docs.flatMap((d) =>
      asArray(d.Statement as Statement | Statement[]).flatMap((s) => [...asArray(s.Action), ...asArray(s.NotAction)]),
    ),
  ];
}
