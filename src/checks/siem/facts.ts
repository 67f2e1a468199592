/** The siem pack's facts: the queues, their key, the buckets' notifications and the reader role (`verify --siem`). */
import type { Fact } from "../../engine/fact.js";
import type { Rule } from "../../engine/rule.js";
import type { PolicyDocument } from "../../iam/policies/types.js";
import type { SiemFeed } from "../../siem/feeds.js";
import type { PackFacts } from "../pack.js";
import type { IdentityPolicyFact } from "../role-policies.js";

export interface QueueView {
  url: string;
  arn: string;
  /** absent: no queue policy. */
  policy?: PolicyDocument;
  kmsMasterKeyId?: string;
  sqsManagedSse: boolean;
  redrive?: { deadLetterTargetArn?: string; maxReceiveCount?: number };
  retentionSeconds?: number;
  visible: number;
  inFlight: number;
}

/** The queue's customer or AWS-managed key, as KMS describes it. */
export interface QueueKeyView {
  arn: string;
  manager: "AWS" | "CUSTOMER" | string;
  /** Customer keys only: the key policy (AWS-managed keys' policies are AWS's). */
  policy?: Fact<PolicyDocument>;
}

/** One notification of the bucket's configuration, of any destination kind. */
export interface NotificationView {
  id?: string;
  kind: "queue" | "topic" | "lambda";
  destination: string;
  events: string[];
  prefix: string;
  suffix: string;
}

export interface FeedFacts {
  feed: SiemFeed;
  queue: Fact<QueueView>;
  deadLetter: Fact<QueueView>;
  /** Only when the queue names a KMS key. */
  key?: Fact<QueueKeyView>;
  notifications: Fact<NotificationView[]>;
  /** --delivery only: the newest object under each prefix (absent: nothing there yet). */
  newest?: Array<{ prefix: string; object: Fact<{ key: string; lastModified: string }> }>;
}

export interface ReaderView {
  trust: PolicyDocument;
  permissionsBoundaryArn?: string;
  tags: Record<string, string>;
}

export interface SiemFacts {
  feeds: FeedFacts[];
  reader: Fact<ReaderView>;
  readerPolicies: Fact<IdentityPolicyFact[]>;
  /** null: no boundary set. */
  readerBoundary: Fact<PolicyDocument | null>;
  delivery: boolean;
}

export interface SiemView extends PackFacts {
  siem?: Fact<SiemFacts>;
}

export type SiemRule = Rule<SiemView>;
