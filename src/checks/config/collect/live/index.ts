/**
 * Live collector: reads the deployed role, policies, buckets, trail and key
 * with AWS SDK v3, concurrently, one client per service. Every read becomes a
 * fact: present, absent (the documented "not found" errors) or error
 * (anything else: AccessDenied, throttling after retries, network).
 */
import { type AwsOptions, type Clients, createClients } from "../../../../aws/clients.js";
import { trailArn, trailBucketName } from "../../../../config/derived.js";
import type { Config } from "../../../../config/schema.js";
import { andThen, type Fact, present, skip } from "../../../../engine/fact.js";
import type { PolicyDocument } from "../../../../iam/policies/types.js";
import type { ConfigFacts } from "../../facts.js";
import { collectAnalyzer } from "./analyzer.js";
import { collectRolePolicies, managedPolicyDocument } from "./iam.js";
import { type Progress, parsePolicy, Reader } from "./reader.js";
import { collectBucket } from "./s3.js";

export type { AwsOptions, Progress };

/** Reads the account; pass `clients` to share them with other collectors (the caller then destroys them). */
export async function collectLive(
  cfg: Config,
  aws: AwsOptions,
  onProgress?: Progress,
  clients?: Clients,
): Promise<ConfigFacts> {
  const c = clients ?? (await createClients(cfg, aws));
  const r = new Reader(onProgress);
  try {
    const RoleName = cfg.roleName;
    const trailName = cfg.cloudtrail.name;
    const kmsKey = cfg.encryption.type === "SSE-KMS" ? cfg.encryption.kmsKeyArn : undefined;
    const notKms = skip<never>("the bucket uses SSE-S3");
    const noTrail = skip<never>("cloudtrail.enabled is false");

    const identityP = r.read(async () => {
      const res = await c.sts.send(new c.stsmod.GetCallerIdentityCommand({}));
      return { account: res.Account ?? "", arn: res.Arn ?? "" };
    });
    const roleP = r.read(async () => {
      const role = (await c.iam.send(new c.iammod.GetRoleCommand({ RoleName }))).Role!;
      return {
        name: role.RoleName ?? "",
        path: role.Path ?? "/",
        arn: role.Arn,
        trustPolicy: present(parsePolicy(role.AssumeRolePolicyDocument)),
        permissionsBoundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn,
      };
    }, ["NoSuchEntityException", "NoSuchEntity"]);
    const exportBucketP = collectBucket(c, r, cfg, cfg.bucket.name);
    const trailBucketP =
      cfg.cloudtrail.enabled && trailBucketName(cfg) !== cfg.bucket.name
        ? collectBucket(c, r, cfg, trailBucketName(cfg))
        : undefined;
    const trailP = cfg.cloudtrail.enabled
      ? r.read(async () => {
          const t = (await c.cloudtrail.send(new c.ctmod.GetTrailCommand({ Name: trailName }))).Trail!;
          return {
            name: t.Name ?? trailName,
            arn: t.TrailARN,
            homeRegion: t.HomeRegion,
            s3BucketName: t.S3BucketName,
            s3KeyPrefix: t.S3KeyPrefix,
            isMultiRegionTrail: t.IsMultiRegionTrail === true,
            includeGlobalServiceEvents: t.IncludeGlobalServiceEvents === true,
            logFileValidationEnabled: t.LogFileValidationEnabled === true,
            kmsKeyId: t.KmsKeyId,
            cloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn,
          };
        }, ["TrailNotFoundException"])
      : Promise.resolve(noTrail);
    const statusP = cfg.cloudtrail.enabled
      ? r.read(async () => {
          const s = await c.cloudtrail.send(new c.ctmod.GetTrailStatusCommand({ Name: trailArn(cfg) }));
          return { isLogging: s.IsLogging === true, latestDeliveryError: s.LatestDeliveryError || null };
        }, ["TrailNotFoundException"])
      : Promise.resolve(noTrail);
    const selectorsP = cfg.cloudtrail.enabled
      ? r.read(async () => {
          const s = await c.cloudtrail.send(new c.ctmod.GetEventSelectorsCommand({ TrailName: trailArn(cfg) }));
          return {
            basic: (s.EventSelectors ?? []).map((e) => ({
              readWriteType: e.ReadWriteType,
              includeManagementEvents: e.IncludeManagementEvents,
              excludeManagementEventSources: e.ExcludeManagementEventSources,
              dataResources: (e.DataResources ?? []).map((d) => ({ type: d.Type ?? "", values: d.Values ?? [] })),
            })),
            advanced: (s.AdvancedEventSelectors ?? []).map((a) => ({
              name: a.Name,
              fieldSelectors: (a.FieldSelectors ?? []).map((f) => ({
                field: f.Field ?? "",
                equals: f.Equals,
                notEquals: f.NotEquals,
                startsWith: f.StartsWith,
                notStartsWith: f.NotStartsWith,
                endsWith: f.EndsWith,
                notEndsWith: f.NotEndsWith,
              })),
            })),
          };
        }, ["TrailNotFoundException"])
      : Promise.resolve(noTrail);
    const keyPolicyP = kmsKey
      ? r.read(
          async () =>
            JSON.parse(
              (await c.kms().send(new c.kmsmod!.GetKeyPolicyCommand({ KeyId: kmsKey, PolicyName: "default" })))
                .Policy ?? "",
            ) as PolicyDocument,
        )
      : Promise.resolve(notKms);
    const grantsP = kmsKey
      ? r.read(async () =>
          ((await c.kms().send(new c.kmsmod!.ListGrantsCommand({ KeyId: kmsKey }))).Grants ?? []).map((g) => ({
            granteePrincipal: g.GranteePrincipal ?? "",
            operations: (g.Operations ?? []) as string[],
          })),
        )
      : Promise.resolve(notKms);

    const role = await roleP;
    const [rolePolicies, permissionsBoundary] = await Promise.all([
      andThen(role, () => collectRolePolicies(c, r, RoleName)),
      andThen(role, (v) =>
        v.permissionsBoundaryArn
          ? managedPolicyDocument(c, r, v.permissionsBoundaryArn)
          : Promise.resolve(present(null)),
      ),
    ]);
    const [analyzerFindings, analyzerNoNewAccess] = await collectAnalyzer(c, r, cfg, aws, role, rolePolicies);
    const exportBucket = await exportBucketP;
    const status = await statusP;
    return {
      source: "aws",
      config: cfg,
      identity: await identityP,
      role,
      rolePolicies,
      permissionsBoundary: permissionsBoundary as Fact<PolicyDocument | null>,
      exportBucket,
      trailBucket: (await trailBucketP) ?? exportBucket,
      trail: await trailP,
      trailStatus: status.state === "present" ? present({ isLogging: status.value.isLogging }) : status,
      trailDeliveryError: status.state === "present" ? present(status.value.latestDeliveryError) : status,
      eventSelectors: await selectorsP,
      kmsKeyPolicy: await keyPolicyP,
      kmsGrants: await grantsP,
      analyzerFindings,
      analyzerNoNewAccess,
    };
  } finally {
    if (!clients) c.destroy();
  }
}
