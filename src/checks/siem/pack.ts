/** `verify --siem`: the SIEM hand-off (queues, notifications, reader role) is as synth made it and works. */
import { attemptAws as attempt } from "../../aws/describe-error.js";
import { partition } from "../../config/derived.js";
import type { Config } from "../../config/schema.js";
import { failed } from "../../engine/fact.js";
import { loadActionCatalog } from "../../iam/action-catalog.js";
import { asArray, type Statement } from "../../iam/policies/types.js";
import { type SiemFeed, siemFeeds, siemOf, siemReaderArn } from "../../siem/feeds.js";
import { usageError } from "../../util/errors.js";
import { flagSpec } from "../../util/flag-spec.js";
import { definePack, type PolicySwitches } from "../pack.js";
import type { SiemView } from "./facts.js";
import { SIEM_RULES } from "./rules/index.js";

export interface SiemOptions {
  delivery: boolean;
}

/** Every Action the reader's policies name, and the ones its rules ask about, so wildcards can be expanded. */
function actionsIn(facts: SiemView): string[] {
  const s = facts.siem?.state === "present" ? facts.siem.value : undefined;
  const docs = [
    ...(s?.readerPolicies.state === "present" ? s.readerPolicies.value : []).flatMap((p) =>
      p.document.state === "present" ? [p.document.value] : [],
    ),
    ...(s?.readerBoundary.state === "present" && s.readerBoundary.value ? [s.readerBoundary.value] : []),
  ];
  return [
    "s3:GetObject",
    "sqs:ReceiveMessage",
    "kms:Decrypt",
    ...docs.flatMap((d) =>
      asArray(d.Statement as Statement | Statement[]).flatMap((st) => [
        ...asArray(st.Action),
        ...asArray(st.NotAction),
      ]),
    ),
  ];
}

const on = (cfg: Config, sw: PolicySwitches) => sw.siem === true && siemOf(cfg) !== undefined;
const feedsOf = (cfg: Config): SiemFeed[] => siemFeeds(cfg);

export const siemPack = definePack<SiemOptions, SiemView>({
  id: "siem",
  groups: [["siem", "SIEM hand-off"]],
  rules: SIEM_RULES,
  switchFlag: "--siem",
  flags: [
    flagSpec({
      flags: "--siem",
      help: "also check the SIEM hand-off (config `siem`): queue policy and key, notifications, dead-letter queue, the reader role's access and trust; with --delivery, the queues' counts",
    }),
  ],
  options({ values, staticPath }) {
    if (!values.siem) return undefined;
    if (staticPath !== undefined)
      throw usageError("--siem reads the deployed queues and notifications; it does not combine with --static");
    return { delivery: values.delivery === true };
  },
  configFields: { siem: ["siem"] },
  permissions: [
    {
      sid: "ReadTheSiemQueues",
      operations: ["SQS.GetQueueUrl", "SQS.GetQueueAttributes"],
      when: on,
      resources: (cfg) => feedsOf(cfg).flatMap((f) => [f.queueArn, f.dlqArn]),
      on: "the SIEM queues and their dead-letter queues",
      why: "--siem: policy, encryption, redrive and approximate counts",
    },
    {
      sid: "ReadTheSiemQueueKey",
      operations: ["KMS.DescribeKey", "KMS.GetKeyPolicy"],
      when: (cfg, sw) => on(cfg, sw) && siemOf(cfg)!.kmsKeyArn !== undefined,
      resources: (cfg) => [siemOf(cfg)!.kmsKeyArn!],
      on: "the SIEM queues' customer key",
      why: "--siem: whether S3 may use the key (else notifications are dropped)",
    },
    {
      sid: "ReadTheNotifications",
      operations: ["S3.GetBucketNotificationConfiguration"],
      when: on,
      resources: (cfg) => feedsOf(cfg).map((f) => f.bucketArn),
      on: "the buckets the SIEM is fed from",
      why: "--siem: every prefix notifies the queue, nothing overlaps",
    },
    {
      sid: "ReadTheSiemReader",
      operations: [
        "IAM.GetRole",
        "IAM.ListRolePolicies",
        "IAM.GetRolePolicy",
        "IAM.ListAttachedRolePolicies",
        "IAM.GetPolicy",
        "IAM.GetPolicyVersion",
      ],
      when: on,
      resources: (cfg) => [siemReaderArn(cfg), `arn:${partition(cfg)}:iam::*:policy/*`],
      on: "the reader role and the managed policies attached to it",
      why: "--siem: the reader's trust, access and least privilege",
    },
    {
      sid: "ListTheNewestFiles",
      operations: ["S3.ListObjectsV2"],
      when: (cfg, sw) => on(cfg, sw) && sw.delivery === true,
      resources: (cfg) => feedsOf(cfg).map((f) => f.bucketArn),
      on: "the buckets the SIEM is fed from",
      why: "--siem --delivery: the newest file under each fed prefix",
    },
  ],
  beforeRules: (facts) => loadActionCatalog(actionsIn(facts)),
  async collect(ctx, options, facts) {
    if (!siemOf(ctx.config)) return; // its rules are not applicable
    const { collectSiem } = await import("./collect.js");
    const clients = await ctx.clients();
    facts.siem = await attempt(() => collectSiem(clients, ctx.config, options.delivery));
  },
  fail(facts, detail) {
    facts.siem = failed(detail);
  },
});
