/**
 * Facts are what collectors found, each in one of five states. Rules never
 * see a failed read as "not configured": `error` and `unknown` become ERROR
 * results, `skip` becomes SKIPPED, and only `present`/`absent` are decided on.
 */
import type { Config } from "../../config/schema.js";
import type { PolicyDocument } from "../../iam/policies/types.js";
import type { DeliveryFacts } from "../delivery/collect.js";
import type { IntegrityReport } from "../integrity/collect.js";

export type Fact<T> =
  | { state: "present"; value: T }
  /** The read succeeded and the thing does not exist (e.g. NoSuchBucketPolicy). */
  | { state: "absent"; detail: string }
  /** The read failed: access denied, throttled after retries, network. */
  | { state: "error"; detail: string }
  /** Static sources: the value is known only after apply. */
  | { state: "unknown"; detail: string }
  /** Not observable from this source (e.g. an existing bucket in static mode). */
  | { state: "skip"; detail: string };

export const present = <T>(value: T): Fact<T> => ({ state: "present", value });
export const absent = <T>(detail: string): Fact<T> => ({ state: "absent", detail });
export const failed = <T>(detail: string): Fact<T> => ({ state: "error", detail });
export const unknown = <T>(detail: string): Fact<T> => ({ state: "unknown", detail });
export const skip = <T>(detail: string): Fact<T> => ({ state: "skip", detail });

export interface RoleFact {
  name: string;
  path: string;
  arn?: string;
  trustPolicy: Fact<PolicyDocument>;
  permissionsBoundaryArn?: string;
}

export interface IdentityPolicyFact {
  name: string;
  kind: "inline" | "managed";
  arn?: string;
  document: Fact<PolicyDocument>;
}

export interface BucketFacts {
  name: string;
  exists: Fact<{ region?: string }>;
  publicAccessBlock: Fact<{ BlockPublicAcls: boolean; IgnorePublicAcls: boolean; BlockPublicPolicy: boolean; RestrictPublicBuckets: boolean }>;
  ownership: Fact<string>;
  policy: Fact<PolicyDocument>;
  requestPayer: Fact<string>;
  encryption: Fact<{ algorithm: string; kmsKeyId?: string }>;
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
}

export interface FieldSelector {
  field: string;
  equals?: string[];
  notEquals?: string[];
  startsWith?: string[];
  notStartsWith?: string[];
  endsWith?: string[];
  notEndsWith?: string[];
}
export interface AdvancedSelector {
  name?: string;
  fieldSelectors: FieldSelector[];
}
export interface BasicSelector {
  readWriteType?: string;
  includeManagementEvents?: boolean;
  excludeManagementEventSources?: string[];
  dataResources?: Array<{ type: string; values: string[] }>;
}

export interface AnalyzerFinding {
  policy: "trust" | "writer";
  findingType: string;
  issueCode: string;
  message: string;
}

export interface Facts {
  /** What the facts were read from, for reports. */
  source: "aws" | "terraform-json" | "terraform-plan";
  config: Config;
  identity: Fact<{ account: string; arn: string }>;
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
  /** Only with `verify --delivery`: what actually arrived in the bucket. */
  delivery?: DeliveryFacts;
  /** Only with `verify --integrity`: CloudTrail log file validation. */
  integrity?: Fact<IntegrityReport>;
  /** Only with `verify --cloudsmith-org`: can the API key read the audit log. */
  cloudsmithAuditLog?: Fact<{ org: string; ok: boolean; message: string }>;
}
