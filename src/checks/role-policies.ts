/** The role's inline and attached policies and their documents (paginated). */
import type { Clients } from "../aws/clients.js";
import { andThen, type Fact, present } from "../engine/fact.js";
import type { PolicyDocument } from "../iam/policies/types.js";

import { parsePolicy, type Reader } from "./reader.js";

/** One identity policy on a role, as IAM holds it. */
export interface IdentityPolicyFact {
  name: string;
  kind: "inline" | "managed";
  arn?: string;
  document: Fact<PolicyDocument>;
}

export async function collectRolePolicies(
  c: Clients,
  r: Reader,
  RoleName: string,
): Promise<Fact<IdentityPolicyFact[]>> {
  // The two listings need nothing from each other: asked together, they cost one round trip.
  const [names, attached] = await Promise.all([
    r.read(async () => {
      const out: string[] = [];
      for await (const page of c.iammod.paginateListRolePolicies({ client: c.iam }, { RoleName })) {
        out.push(...(page.PolicyNames ?? []));
      }
      return out;
    }),
    r.read(async () => {
      const out: Array<{ PolicyArn?: string; PolicyName?: string }> = [];
      for await (const page of c.iammod.paginateListAttachedRolePolicies({ client: c.iam }, { RoleName })) {
        out.push(...(page.AttachedPolicies ?? []));
      }
      return out;
    }),
  ]);
  if (names.state !== "present") return names as unknown as Fact<IdentityPolicyFact[]>;
  if (attached.state !== "present") return attached as unknown as Fact<IdentityPolicyFact[]>;
  const inline = names.value.map(
    async (PolicyName): Promise<IdentityPolicyFact> => ({
      name: PolicyName,
      kind: "inline",
      document: await r.read(async () =>
        parsePolicy(
          (await c.iam.send(new c.iammod.GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument,
          `inline policy ${PolicyName}`,
        ),
      ),
    }),
  );
  const managed = attached.value.map(
    async (p): Promise<IdentityPolicyFact> => ({
      name: p.PolicyName ?? p.PolicyArn ?? "?",
      kind: "managed",
      arn: p.PolicyArn,
      document: await managedPolicyDocument(c, r, p.PolicyArn!),
    }),
  );
  return present(await Promise.all([...inline, ...managed]));
}

export async function managedPolicyDocument(c: Clients, r: Reader, PolicyArn: string): Promise<Fact<PolicyDocument>> {
  const version = await r.read(
    async () => (await c.iam.send(new c.iammod.GetPolicyCommand({ PolicyArn }))).Policy?.DefaultVersionId ?? "v1",
  );
  return andThen(version, (VersionId) =>
    r.read(async () =>
      parsePolicy(
        (await c.iam.send(new c.iammod.GetPolicyVersionCommand({ PolicyArn, VersionId }))).PolicyVersion?.Document,
        `managed policy ${PolicyArn}`,
      ),
    ),
  );
}
