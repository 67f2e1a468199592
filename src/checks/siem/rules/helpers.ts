import { s3Uri } from "../../../aws/s3.js";
import type { Config } from "../../../config/schema.js";
import { read, Undecidable } from "../../../engine/fact.js";
import { errored, type Outcome, skipped } from "../../../engine/rule.js";
import type { NamedPolicy, PolicySet } from "../../../iam/eval/evaluate.js";
import { OUTSIDER_UNKNOWABLE, type Request } from "../../../iam/eval/request.js";
import { siemOf, siemReaderArn } from "../../../siem/feeds.js";
import type { FeedFacts, QueueView, SiemFacts, SiemView } from "../facts.js";

/** The pack's facts; a pack that could not collect is ERROR for every rule, never dropped. */
export function siemFactsOf(facts: SiemView): SiemFacts {
  if (!facts.siem) throw new Undecidable("ERROR", "the SIEM hand-off was not collected");
  return read(facts.siem, "the SIEM hand-off")!;
}

export const noSiem = (cfg: Config): string | undefined =>
  siemOf(cfg) ? undefined : "the config has no siem (or siem.enabled is false): no SIEM hand-off";

export const queueResource = (f: FeedFacts): string => `sqs:${f.feed.queueName}`;
export const bucketResource = (f: FeedFacts): string => s3Uri(f.feed.bucket);
export const readerResource = (cfg: Config): string => `role/${siemOf(cfg)!.reader.roleName}`;

/**
 * One outcome per feed whose queue was read: `judge` for a queue that exists, FAIL for a missing
 * one, ERROR (or SKIPPED) for one that could not be read.
 */
export function eachQueue(facts: SiemView, judge: (f: FeedFacts, queue: QueueView) => Outcome): Outcome[] {
  return siemFactsOf(facts).feeds.map((f) => {
    const resource = queueResource(f);
    switch (f.queue.state) {
      case "present":
        return judge(f, f.queue.value);
      case "absent":
        return { status: "FAIL", resource, message: `no queue ${f.feed.queueName}: run synth and terraform apply` };
      case "skip":
        return skipped(resource, f.queue.detail);
      default:
        return errored(resource, `could not read the queue: ${f.queue.detail}`);
    }
  });
}

/** What cannot be known about the SIEM's calls: an outsider's where and when, its session, and the account's organization. */
const READER_UNKNOWABLE = [
  ...OUTSIDER_UNKNOWABLE,
  "aws:TokenIssueTime",
  "aws:userid",
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:ResourceOrgID",
  "aws:ResourceOrgPaths",
];

/** The reader role's session asking for one action on one resource (same account), over TLS. */
export function readerRequest(
  cfg: Config,
  action: string,
  resource: string,
  tags: Record<string, string> = {},
  extra: Record<string, string> = {},
): Request {
  const arn = siemReaderArn(cfg);
  return {
    principal: { type: "AWS", account: cfg.accountId, arn },
    action,
    resource,
    resourceAccount: cfg.accountId,
    context: {
      "aws:PrincipalArn": arn,
      "aws:PrincipalAccount": cfg.accountId,
      "aws:PrincipalType": "AssumedRole",
      "aws:ResourceAccount": cfg.accountId,
      "aws:SecureTransport": "true",
      "aws:PrincipalIsAWSService": "false",
      "aws:ViaAWSService": "false",
      ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v])),
      ...extra,
    },
    unknowable: READER_UNKNOWABLE,
  };
}

/** A request S3 makes as a service principal, for a bucket in an account. */
export function s3ServiceRequest(
  action: string,
  resource: string,
  resourceAccount: string,
  source: { arn: string; account: string } | "unknown",
): Request {
  return {
    principal: { type: "Service", service: "s3.amazonaws.com" },
    action,
    resource,
    resourceAccount,
    context: {
      "aws:SecureTransport": "true",
      "aws:PrincipalIsAWSService": "true",
      "aws:PrincipalServiceName": "s3.amazonaws.com",
      "aws:ViaAWSService": "false",
      ...(source !== "unknown" ? { "aws:SourceArn": source.arn, "aws:SourceAccount": source.account } : {}),
    },
    // Every request has a time, and S3 sends at any time.
    unknowable: [
      "aws:CurrentTime",
      "aws:EpochTime",
      ...(source === "unknown" ? ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID"] : []),
    ],
  };
}

/** The reader's identity policies and boundary, named for messages; unreadable ones stop the rule. */
export function readerPolicySet(facts: SiemView): PolicySet {
  const s = siemFactsOf(facts);
  const policies = read(s.readerPolicies, "the reader role's policies") ?? [];
  const identity: NamedPolicy[] = policies.map((p) => ({
    name: p.kind === "managed" ? `managed policy ${p.arn ?? p.name}` : `inline policy ${p.name}`,
    document: read(p.document, `policy ${p.name}`) ?? { Version: "2012-10-17", Statement: [] },
  }));
  const boundary = read(s.readerBoundary, "the reader role's permissions boundary");
  return { identity, ...(boundary ? { boundary: { name: "the permissions boundary", document: boundary } } : {}) };
}

/** A probe object under a prefix: what the reader must be able to read, and nothing beside. */
export const probeObject = (bucketArn: string, prefix: string): string =>
  `${bucketArn}/${prefix}2026/12/03/siem-probe.json.gz`;
