/**
 * Builds an account in the emulator from facts, with the SDK (not with this
 * tool's Terraform): the role and its policies, the export bucket, and a trail
 * with its selectors. Tests use it for setups this tool did not generate.
 */
import {
  type CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  type IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { AdvancedSelector, BasicSelector } from "../../src/checks/deployment/facts.js";
import type { Facts } from "../../src/checks/index.js";
import type { Fact } from "../../src/engine/fact.js";
import { BOUNDARY_ARN } from "./brownfield.js";

export interface Sdk {
  iam: IAMClient;
  s3: S3Client;
  cloudtrail: CloudTrailClient;
}

export const value = <T>(f: Fact<T>): T => {
  if (f.state !== "present") throw new Error(`fixture fact is ${f.state}`);
  return f.value;
};

/** Builds the fixture's account from its facts: role and policies, bucket, trail and selectors. */
export async function deploy(sdk: Sdk, f: Facts, opts: { trail?: boolean } = {}): Promise<void> {
  const { iam, s3 } = sdk;
  const role = value(f.role);
  await iam.send(
    new CreateRoleCommand({ RoleName: role.name, AssumeRolePolicyDocument: JSON.stringify(value(role.trustPolicy)) }),
  );
  for (const p of value(f.rolePolicies)) {
    const doc = JSON.stringify(value(p.document));
    if (p.kind === "inline") {
      await iam.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: p.name, PolicyDocument: doc }));
    } else {
      const created = await iam.send(new CreatePolicyCommand({ PolicyName: p.name, PolicyDocument: doc }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: created.Policy!.Arn! }));
    }
  }
  const boundary = value(f.permissionsBoundary);
  if (boundary) {
    const created = await iam.send(
      new CreatePolicyCommand({ PolicyName: BOUNDARY_ARN.split("/").pop()!, PolicyDocument: JSON.stringify(boundary) }),
    );
    await iam.send(
      new PutRolePermissionsBoundaryCommand({ RoleName: role.name, PermissionsBoundary: created.Policy!.Arn! }),
    );
  }
  const Bucket = f.exportBucket.name;
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket,
      PublicAccessBlockConfiguration: value(f.exportBucket.publicAccessBlock),
    }),
  );
  await s3.send(
    new PutBucketOwnershipControlsCommand({
      Bucket,
      OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
    }),
  );
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
    }),
  );
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(value(f.exportBucket.policy)) }));
  if (opts.trail !== false) await deployTrail(sdk, value(f.trail), value(f.eventSelectors));
}

/** A trail (multi-region, validation on) with its selectors, logging. */
export async function deployTrail(
  sdk: Sdk,
  trail: { name: string; s3BucketName?: string; s3KeyPrefix?: string },
  selectors: { basic: BasicSelector[]; advanced: AdvancedSelector[] },
): Promise<void> {
  const { cloudtrail } = sdk;
  await cloudtrail.send(
    new CreateTrailCommand({
      Name: trail.name,
      S3BucketName: trail.s3BucketName,
      S3KeyPrefix: trail.s3KeyPrefix,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
    }),
  );
  await cloudtrail.send(
    new PutEventSelectorsCommand(
      selectors.advanced.length > 0
        ? {
            TrailName: trail.name,
            AdvancedEventSelectors: selectors.advanced.map((s) => ({
              Name: s.name,
              FieldSelectors: s.fieldSelectors.map((fs) => ({
                Field: fs.field,
                Equals: fs.equals,
                NotEquals: fs.notEquals,
                StartsWith: fs.startsWith,
                NotStartsWith: fs.notStartsWith,
                EndsWith: fs.endsWith,
                NotEndsWith: fs.notEndsWith,
              })),
            })),
          }
        : {
            TrailName: trail.name,
            EventSelectors: selectors.basic.map((s) => ({
              ReadWriteType: s.readWriteType as "All",
              IncludeManagementEvents: s.includeManagementEvents,
              ExcludeManagementEventSources: s.excludeManagementEventSources,
              DataResources: s.dataResources?.map((d) => ({ Type: d.type, Values: d.values })),
            })),
          },
    ),
  );
  await cloudtrail.send(new StartLoggingCommand({ Name: trail.name }));
}
