/**
 * The deployment pack's facts: the role, its policies, the buckets, the
 * trail and the key, as read from AWS or from Terraform JSON or a plan.
 */

import type { AdvancedSelector, BasicSelector } from "../../cloudtrail/selector-types.js";
import type { Config } from "../../config/schema.js";
import type { Fact } from "../../engine/fact.js";
import type { Rule } from "../../engine/rule.js";
import type { PolicyDocument } from "../../iam/policies/types.js";
import type { PackFacts } from "../pack.js";
import type { TfFile } from "./collect/static/terraform.js";

export interface RoleFact {
  name: string;
  path: string;
  arn?: string;
  trustPolicy: Fact<PolicyDocument>;
  permissionsBoundaryArn?: string;
  /** The role's tags (aws:PrincipalTag/* of its sessions); "unknown" when a plan knows them only after apply. */
  tags?: Record<string, string> | "unknown";
}

import type { IdentityPolicyFact } from "../role-policies.js";

export type { IdentityPolicyFact };

/** One lifecycle rule as S3 holds it, reduced to what decides whether it removes evidence early. */
export interface LifecycleRuleView {
  id: string;
  enabled: boolean;
  /** The rule's key prefix ("" for the whole bucket). */
  prefix: string;
  /** The filter also names tags or sizes: which objects it takes cannot be told from the keys. */
  narrowedBy: string[];
  expirationDays?: number;
  expirationDate?: string;
  noncurrentDays?: number;
  transitions: Array<{ days?: number; date?: string; storageClass: string }>;
  /** Transitions of overwritten (noncurrent) versions, by days since they became noncurrent. */
  noncurrentTransitions?: Array<{ days?: number; storageClass: string }>;
}

export interface BucketFacts {
  name: string;
  exists: Fact<{ region?: string }>;
  publicAccessBlock: Fact<{
    BlockPublicAcls: boolean;
    IgnorePublicAcls: boolean;
    BlockPublicPolicy: boolean;
    RestrictPublicBuckets: boolean;
  }>;
  ownership: Fact<string>;
  policy: Fact<PolicyDocument>;
  requestPayer: Fact<string>;
  /** Default encryption; `bucketKeyEnabled`: SSE-KMS through an S3 Bucket Key (KMS then sees the bucket's ARN). */
  encryption: Fact<{ algorithm: string; kmsKeyId?: string; bucketKeyEnabled?: boolean }>;
  /** Read only when the config sets a retention (absent: no lifecycle configuration). */
  lifecycle?: Fact<LifecycleRuleView[]>;
  /** Read only when the config locks the trail's files (absent: Object Lock never enabled). */
  objectLock?: Fact<ObjectLockView>;
}

/** A bucket's Object Lock, as S3 answers GetObjectLockConfiguration. */
export interface ObjectLockView {
  enabled: boolean;
  /** The default retention for new objects, when there is one. */
  mode?: string;
  days?: number;
  years?: number;
}

export interface TrailFact {
  name: string;
  arn?: string;
  homeRegion?: string;
  s3BucketName?: string;
  s3KeyPrefix?: string;
  isMultiRegionTrail: boolean;
  includeGlobalServiceEvents: boolean;
  logFileValidationEnabled: boolean;
  kmsKeyId?: string;
  cloudWatchLogsLogGroupArn?: string;
  /** An organization trail: it records every account of the organization. */
  isOrganizationTrail?: boolean;
}

export interface AnalyzerFinding {
  policy: "trust" | "writer";
  findingType: string;
  issueCode: string;
  message: string;
}

export interface DeploymentFacts extends PackFacts {
  /** What the facts were read from, for reports. */
  source: "aws" | "terraform-json" | "terraform-plan";
  /** On a static run: the Terraform file the facts came from (results point into it). */
  terraformFile?: TfFile;
  config: Config;
  role: Fact<RoleFact>;
  /** Inline and attached (managed) policies with their documents. */
  rolePolicies: Fact<IdentityPolicyFact[]>;
  /** null: no boundary set. */
  permissionsBoundary: Fact<PolicyDocument | null>;
  exportBucket: BucketFacts;
  /** The same object as exportBucket when the trail delivers there. */
  trailBucket: BucketFacts;
  trail: Fact<TrailFact>;
  trailStatus: Fact<{ isLogging: boolean }>;
  /** The latest delivery error, null when none; only observable on a deployed trail. */
  trailDeliveryError: Fact<string | null>;
  eventSelectors: Fact<{ basic: BasicSelector[]; advanced: AdvancedSelector[] }>;
  kmsKeyPolicy: Fact<PolicyDocument>;
  kmsGrants: Fact<Array<{ granteePrincipal: string; operations: string[] }>>;
  analyzerFindings: Fact<AnalyzerFinding[]>;
  /** CheckNoNewAccess of the deployed trust policy against the expected one. */
  analyzerNoNewAccess: Fact<{ result: string; message?: string }>;
}

export type DeploymentRule = Rule<DeploymentFacts>;

export type { AdvancedSelector, BasicSelector, FieldSelector } from "../../cloudtrail/selector-types.js";
