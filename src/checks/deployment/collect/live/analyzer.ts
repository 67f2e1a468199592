/** IAM Access Analyzer: ValidatePolicy on the deployed policies, CheckNoNewAccess on the trust policy. */
import type { AwsOptions, Clients } from "../../../../aws/clients.js";
import type { Config } from "../../../../config/schema.js";
import { failed, present, skip } from "../../../../engine/fact.js";
import { expectedTrustPolicy } from "../../../../iam/policies/index.js";
import type { PolicyDocument } from "../../../../iam/policies/types.js";
import { redactUrl } from "../../../../util/redact-url.js";
import type { Reader } from "../../../reader.js";
import type { DeploymentFacts } from "../../facts.js";

/** IAM Access Analyzer runs only against AWS itself: an emulator (custom endpoint) has none. */
export async function collectAnalyzer(
  c: Clients,
  r: Reader,
  cfg: Config,
  aws: AwsOptions,
  role: DeploymentFacts["role"],
  rolePolicies: DeploymentFacts["rolePolicies"],
): Promise<[DeploymentFacts["analyzerFindings"], DeploymentFacts["analyzerNoNewAccess"]]> {
  if (aws.endpointUrl) {
    const why = skip<never>(
      `IAM Access Analyzer is not available at the custom endpoint ${redactUrl(aws.endpointUrl ?? "")}`,
    );
    return [why, why];
  }
  // A read that failed stays an error here too; only a role that does not exist is nothing to analyse.
  const unreadable = [role, rolePolicies, role.state === "present" ? role.value.trustPolicy : role].find(
    (f) => f.state === "error",
  );
  if (unreadable) {
    const why = failed<never>(`the role could not be read: ${(unreadable as { detail: string }).detail}`);
    return [why, why];
  }
  if (role.state !== "present" || role.value.trustPolicy.state !== "present" || rolePolicies.state !== "present") {
    const why = skip<never>("the role does not exist (see role.exists)");
    return [why, why];
  }
  const identityDocs = rolePolicies.value
    .filter((p) => p.document.state === "present")
    .map((p) => JSON.stringify((p.document as { value: PolicyDocument }).value));
  const deployedTrust = JSON.stringify(role.value.trustPolicy.value);
  const aa = await c.analyzer();
  const validate = (policy: "trust" | "writer", document: string, policyType: "RESOURCE_POLICY" | "IDENTITY_POLICY") =>
    r.read(async () => {
      const res = await aa.client.send(
        new aa.mod.ValidatePolicyCommand({
          policyDocument: document,
          policyType,
          validatePolicyResourceType:
            policyType === "RESOURCE_POLICY" ? "AWS::IAM::AssumeRolePolicyDocument" : undefined,
        }),
      );
      return (res.findings ?? []).map((f) => ({
        policy,
        findingType: f.findingType ?? "",
        issueCode: f.issueCode ?? "",
        message: f.findingDetails ?? "",
      }));
    });
  const [trustFindings, noNew, ...writerFindings] = await Promise.all([
    validate("trust", deployedTrust, "RESOURCE_POLICY"),
    cfg.externalId === undefined
      ? Promise.resolve(
          skip<{ result: string; message?: string }>(
            "externalId is not in the config: no expected trust policy to compare with",
          ),
        )
      : r.read(async () => {
          const res = await aa.client.send(
            new aa.mod.CheckNoNewAccessCommand({
              newPolicyDocument: deployedTrust,
              existingPolicyDocument: JSON.stringify(expectedTrustPolicy(cfg)),
              policyType: "RESOURCE_POLICY",
            }),
          );
          return { result: res.result ?? "", message: res.message };
        }),
    ...identityDocs.map((doc) => validate("writer", doc, "IDENTITY_POLICY")),
  ]);
  const all = [trustFindings, ...writerFindings];
  const broken = all.find((f) => f.state !== "present");
  const findings: DeploymentFacts["analyzerFindings"] =
    broken ?? present(all.flatMap((f) => (f.state === "present" ? f.value : [])));
  return [findings, noNew as DeploymentFacts["analyzerNoNewAccess"]];
}
