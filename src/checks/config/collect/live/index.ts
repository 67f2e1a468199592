/**
 * Live collector: reads the deployed role, policies, buckets, trail and key
 * with AWS SDK v3, concurrently, one client per service. Every read becomes a
 * fact: present, absent (the documented "not found" errors) or error
 * (anything else: AccessDenied, throttling after retries, network).
 */
import type { Config } from "../../../../config/schema.js";
import { trailArn, trailBucketName } from "../../../../config/derived.js";
import { expectedTrustPolicy } from "../../../../iam/policies/index.js";
import type { PolicyDocument } from "../../../../iam/policies/types.js";
import { absent, failed, present, skip, type BucketFacts, type Fact, type Facts, type IdentityPolicyFact } from "../../facts.js";
import { createClients, type AwsOptions, type Clients } from "../../../../aws/clients.js";

export type { AwsOptions };

/** Called as reads finish, for a progress line. */
export type Progress = (done: number, total: number) => void;

function errorText(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  // HEAD requests have no error body: the SDK names the error after the status code.
  const named = err.name && err.name !== "Error" && !/^\d+$/.test(err.name);
  const name = named ? err.name! : status ? `HTTP ${status}` : "Error";
  const hint = !named && status === 403 ? " (access denied, or the bucket belongs to another account)" : "";
  const message = err.message && err.message !== err.name && err.message !== "UnknownError" ? `: ${err.message}` : "";
  return `${name}${message}${hint}`;
}

const parsePolicy = (text: string | undefined): PolicyDocument => JSON.parse(decodeURIComponent(text ?? "")) as PolicyDocument;

class Reader {
  total = 0;
  done = 0;
  constructor(private readonly onProgress?: Progress) {}

  /** Runs one read; errors named in `absentOn` mean "does not exist". */
  async read<T>(call: () => Promise<T>, absentOn: string[] = []): Promise<Fact<T>> {
    this.total++;
    try {
      return present(await call());
    } catch (e) {
      const name = (e as { name?: string }).name ?? "";
      return absentOn.includes(name) ? absent(name) : failed(errorText(e));
    } finally {
      this.done++;
      this.onProgress?.(this.done, this.total);
    }
  }
}

/** Resolves a fact produced from another fact, carrying failures through. */
async function then<A, B>(fact: Fact<A>, next: (a: A) => Promise<Fact<B>>): Promise<Fact<B>> {
  return fact.state === "present" ? next(fact.value) : (fact as unknown as Fact<B>);
}

async function collectBucket(c: Clients, r: Reader, cfg: Config, name: string): Promise<BucketFacts> {
  const Bucket = name;
  const notFound = ["NoSuchBucket"];
  const [exists, publicAccessBlock, ownership, policy, requestPayer, encryption] = await Promise.all([
    r.read(async () => {
      const { HeadBucketCommand } = c.s3mod;
      const res = await c.s3.send(new HeadBucketCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }));
      return { region: res.BucketRegion };
    }, ["NotFound", ...notFound]),
    r.read(async () => {
      const res = await c.s3.send(new c.s3mod.GetPublicAccessBlockCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }));
      const p = res.PublicAccessBlockConfiguration ?? {};
      return { BlockPublicAcls: p.BlockPublicAcls === true, IgnorePublicAcls: p.IgnorePublicAcls === true, BlockPublicPolicy: p.BlockPublicPolicy === true, RestrictPublicBuckets: p.RestrictPublicBuckets === true };
    }, ["NoSuchPublicAccessBlockConfiguration", ...notFound]),
    r.read(async () => {
      const res = await c.s3.send(new c.s3mod.GetBucketOwnershipControlsCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }));
      const rule = res.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
      if (!rule) throw new Error("GetBucketOwnershipControls returned no rule");
      return rule;
    }, ["OwnershipControlsNotFoundError", ...notFound]),
    r.read(async () => {
      const res = await c.s3.send(new c.s3mod.GetBucketPolicyCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }));
      return JSON.parse(res.Policy ?? "") as PolicyDocument;
    }, ["NoSuchBucketPolicy", ...notFound]),
    r.read(async () => {
      const res = await c.s3.send(new c.s3mod.GetBucketRequestPaymentCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }));
      // AWS always answers with a Payer; a reply without one is not evidence of anything.
      if (!res.Payer) throw new Error("GetBucketRequestPayment returned no Payer");
      return res.Payer as string;
    }, notFound),
    r.read(async () => {
      const res = await c.s3.send(new c.s3mod.GetBucketEncryptionCommand({ Bucket, ExpectedBucketOwner: cfg.accountId }));
      const d = res.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
      if (!d?.SSEAlgorithm) throw new Error("GetBucketEncryption returned no default rule");
      return { algorithm: d.SSEAlgorithm as string, kmsKeyId: d.KMSMasterKeyID };
    }, ["ServerSideEncryptionConfigurationNotFoundError", ...notFound]),
  ]);
  return { name, exists, publicAccessBlock, ownership, policy, requestPayer, encryption };
}

async function collectRolePolicies(c: Clients, r: Reader, RoleName: string): Promise<Fact<IdentityPolicyFact[]>> {
  const names = await r.read(async () => {
    const out: string[] = [];
    let Marker: string | undefined;
    do {
      const res = await c.iam.send(new c.iammod.ListRolePoliciesCommand({ RoleName, Marker }));
      out.push(...(res.PolicyNames ?? []));
      Marker = res.IsTruncated ? res.Marker : undefined;
    } while (Marker);
    return out;
  });
  const attached = await r.read(async () => {
    const out: Array<{ PolicyArn?: string; PolicyName?: string }> = [];
    let Marker: string | undefined;
    do {
      const res = await c.iam.send(new c.iammod.ListAttachedRolePoliciesCommand({ RoleName, Marker }));
      out.push(...(res.AttachedPolicies ?? []));
      Marker = res.IsTruncated ? res.Marker : undefined;
    } while (Marker);
    return out;
  });
  if (names.state !== "present") return names as unknown as Fact<IdentityPolicyFact[]>;
  if (attached.state !== "present") return attached as unknown as Fact<IdentityPolicyFact[]>;
  const inline = names.value.map(async (PolicyName): Promise<IdentityPolicyFact> => ({
    name: PolicyName,
    kind: "inline",
    document: await r.read(async () => parsePolicy((await c.iam.send(new c.iammod.GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument)),
  }));
  const managed = attached.value.map(async (p): Promise<IdentityPolicyFact> => ({
    name: p.PolicyName ?? p.PolicyArn ?? "?",
    kind: "managed",
    arn: p.PolicyArn,
    document: await managedPolicyDocument(c, r, p.PolicyArn!),
  }));
  return present(await Promise.all([...inline, ...managed]));
}

async function managedPolicyDocument(c: Clients, r: Reader, PolicyArn: string): Promise<Fact<PolicyDocument>> {
  const version = await r.read(async () => (await c.iam.send(new c.iammod.GetPolicyCommand({ PolicyArn }))).Policy?.DefaultVersionId ?? "v1");
  return then(version, (VersionId) =>
    r.read(async () => parsePolicy((await c.iam.send(new c.iammod.GetPolicyVersionCommand({ PolicyArn, VersionId }))).PolicyVersion?.Document)),
  );
}

/** Reads the account; pass `clients` to share them with other collectors (the caller then destroys them). */
export async function collectLive(cfg: Config, aws: AwsOptions, onProgress?: Progress, clients?: Clients): Promise<Facts> {
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
    const trailBucketP = cfg.cloudtrail.enabled && trailBucketName(cfg) !== cfg.bucket.name ? collectBucket(c, r, cfg, trailBucketName(cfg)) : undefined;
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
      ? r.read(async () => JSON.parse((await c.kms().send(new c.kmsmod!.GetKeyPolicyCommand({ KeyId: kmsKey, PolicyName: "default" }))).Policy ?? "") as PolicyDocument)
      : Promise.resolve(notKms);
    const grantsP = kmsKey
      ? r.read(async () =>
          ((await c.kms().send(new c.kmsmod!.ListGrantsCommand({ KeyId: kmsKey }))).Grants ?? []).map((g) => ({ granteePrincipal: g.GranteePrincipal ?? "", operations: (g.Operations ?? []) as string[] })),
        )
      : Promise.resolve(notKms);

    const role = await roleP;
    const [rolePolicies, permissionsBoundary] = await Promise.all([
      then(role, () => collectRolePolicies(c, r, RoleName)),
      then(role, (v) => (v.permissionsBoundaryArn ? managedPolicyDocument(c, r, v.permissionsBoundaryArn) : Promise.resolve(present(null)))),
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

/** IAM Access Analyzer runs only against AWS itself: an emulator (custom endpoint) has none. */
async function collectAnalyzer(
  c: Clients,
  r: Reader,
  cfg: Config,
  aws: AwsOptions,
  role: Facts["role"],
  rolePolicies: Facts["rolePolicies"],
): Promise<[Facts["analyzerFindings"], Facts["analyzerNoNewAccess"]]> {
  if (aws.endpointUrl) {
    const why = skip<never>(`IAM Access Analyzer is not available at the custom endpoint ${aws.endpointUrl}`);
    return [why, why];
  }
  // A read that failed stays an error here too; only a role that does not exist is nothing to analyse.
  const unreadable = [role, rolePolicies, role.state === "present" ? role.value.trustPolicy : role].find((f) => f.state === "error");
  if (unreadable) {
    const why = failed<never>(`the role could not be read: ${(unreadable as { detail: string }).detail}`);
    return [why, why];
  }
  if (role.state !== "present" || role.value.trustPolicy.state !== "present" || rolePolicies.state !== "present") {
    const why = skip<never>("the role does not exist (see role.exists)");
    return [why, why];
  }
  const identityDocs = rolePolicies.value.filter((p) => p.document.state === "present").map((p) => JSON.stringify((p.document as { value: PolicyDocument }).value));
  const deployedTrust = JSON.stringify(role.value.trustPolicy.value);
  const aa = await c.analyzer();
  const validate = (policy: "trust" | "writer", document: string, policyType: "RESOURCE_POLICY" | "IDENTITY_POLICY") =>
    r.read(async () => {
      const res = await aa.client.send(
        new aa.mod.ValidatePolicyCommand({
          policyDocument: document,
          policyType,
          validatePolicyResourceType: policyType === "RESOURCE_POLICY" ? "AWS::IAM::AssumeRolePolicyDocument" : undefined,
        }),
      );
      return (res.findings ?? []).map((f) => ({ policy, findingType: f.findingType ?? "", issueCode: f.issueCode ?? "", message: f.findingDetails ?? "" }));
    });
  const [trustFindings, noNew, ...writerFindings] = await Promise.all([
    validate("trust", deployedTrust, "RESOURCE_POLICY"),
    cfg.externalId === undefined
      ? Promise.resolve(skip<{ result: string; message?: string }>("externalId is not in the config: no expected trust policy to compare with"))
      : r.read(async () => {
          const res = await aa.client.send(
            new aa.mod.CheckNoNewAccessCommand({ newPolicyDocument: deployedTrust, existingPolicyDocument: JSON.stringify(expectedTrustPolicy(cfg)), policyType: "RESOURCE_POLICY" }),
          );
          return { result: res.result ?? "", message: res.message };
        }),
    ...identityDocs.map((doc) => validate("writer", doc, "IDENTITY_POLICY")),
  ]);
  const all = [trustFindings, ...writerFindings];
  const broken = all.find((f) => f.state !== "present");
  const findings: Facts["analyzerFindings"] = broken ?? present(all.flatMap((f) => (f.state === "present" ? f.value : [])));
  return [findings, noNew as Facts["analyzerNoNewAccess"]];
}
