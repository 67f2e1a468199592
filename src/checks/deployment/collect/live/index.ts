/**
 * Live collector: reads the deployed role, policies, buckets, trail and key
 * with AWS SDK v3, concurrently, one client per service. Every read becomes a
 * fact: present, absent (the documented "not found" errors) or error
 * (anything else: AccessDenied, throttling after retries, network).
 */
import { type AwsOptions, type Clients, createClients } from "../../../../aws/clients.js";
import { trailBucketName } from "../../../../config/derived.js";
import type { Config } from "../../../../config/schema.js";
import { andThen, type Fact, failed, present } from "../../../../engine/fact.js";
import type { PolicyDocument } from "../../../../iam/policies/types.js";
import { type Progress, parsePolicy, Reader } from "../../../reader.js";
import { collectRolePolicies, managedPolicyDocument } from "../../../role-policies.js";
import type { DeploymentFacts } from "../../facts.js";
import { collectAnalyzer } from "./analyzer.js";
import { collectTrail } from "./cloudtrail.js";
import { collectKms } from "./kms.js";
import { collectBucket } from "./s3.js";

export type { AwsOptions, Progress };

/** Reads the account; pass `clients` to share them with other collectors (the caller then destroys them). */
export async function collectLive(
  cfg: Config,
  aws: AwsOptions,
  onProgress?: Progress,
  clients?: Clients,
): Promise<DeploymentFacts> {
  const c = clients ?? (await createClients(cfg, aws));
  const r = new Reader(onProgress);
  try {
    const RoleName = cfg.roleName;

    const roleP = r.read(async () => {
      const role = (await c.iam.send(new c.iammod.GetRoleCommand({ RoleName }))).Role!;
      return {
        name: role.RoleName ?? "",
        path: role.Path ?? "/",
        arn: role.Arn,
        // A trust policy that is not a policy is its own unreadable fact: the role still exists.
        trustPolicy: (() => {
          try {
            return present(parsePolicy(role.AssumeRolePolicyDocument, "the trust policy"));
          } catch (e) {
            return failed<PolicyDocument>((e as Error).message);
          }
        })(),
        permissionsBoundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn,
        tags: Object.fromEntries((role.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
      };
    }, ["NoSuchEntityException", "NoSuchEntity"]);
    const exportBucketP = collectBucket(c, r, cfg, cfg.bucket.name);
    const trailP = collectTrail(c, r, cfg);
    // Our trail's bucket is in the config; an existing trail's is whatever GetTrail says.
    const trailBucketP = (async () => {
      if (cfg.cloudtrail.mode === "none") return undefined;
      const name =
        cfg.cloudtrail.mode === "create"
          ? trailBucketName(cfg)
          : await trailP.then(({ trail }) => (trail.state === "present" ? trail.value.s3BucketName : undefined));
      return name !== undefined && name !== cfg.bucket.name ? collectBucket(c, r, cfg, name) : undefined;
    })();
    const kmsP = collectKms(c, r, cfg);

    // The role's policies are listed while GetRole is under way (they need only its name); a role
    // that is absent or unreadable makes them moot, so they count only when it is present.
    const policiesP = collectRolePolicies(c, r, RoleName);
    policiesP.catch(() => undefined);
    const role = await roleP;
    const [rolePolicies, permissionsBoundary] = await Promise.all([
      andThen(role, () => policiesP),
      andThen(role, (v) =>
        v.permissionsBoundaryArn
          ? managedPolicyDocument(c, r, v.permissionsBoundaryArn)
          : Promise.resolve(present(null)),
      ),
    ]);
    const [analyzerFindings, analyzerNoNewAccess] = await collectAnalyzer(c, r, cfg, aws, role, rolePolicies);
    const exportBucket = await exportBucketP;
    const { trail, status, selectors } = await trailP;
    const { keyPolicy, grants } = await kmsP;
    return {
      source: "aws",
      config: cfg,
      role,
      rolePolicies,
      permissionsBoundary: permissionsBoundary as Fact<PolicyDocument | null>,
      exportBucket,
      trailBucket: (await trailBucketP) ?? exportBucket,
      trail,
      trailStatus: status.state === "present" ? present({ isLogging: status.value.isLogging }) : status,
      trailDeliveryError: status.state === "present" ? present(status.value.latestDeliveryError) : status,
      eventSelectors: selectors,
      kmsKeyPolicy: keyPolicy,
      kmsGrants: grants,
      analyzerFindings,
      analyzerNoNewAccess,
    };
  } finally {
    if (!clients) c.destroy();
  }
}
