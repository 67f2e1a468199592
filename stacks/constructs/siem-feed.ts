import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification/index.js";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy/index.js";
import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { PolicyDocument } from "../../src/iam/policies/types.js";
import { SIEM_EVENTS, type SiemFeed } from "../../src/siem/feeds.js";
import { stableJson } from "../../src/util/stable-json.js";

export interface SiemFeedProps {
  readonly feed: SiemFeed;
  readonly queuePolicy: PolicyDocument;
  /** A customer key for both queues; undefined: SSE-SQS. Never aws/sqs (S3 cannot use it). */
  readonly kmsKeyArn?: string;
  readonly maxReceiveCount: number;
  readonly messageRetentionSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  /** Resources the notification must wait for (the bucket's policy, so S3's test message is allowed). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One bucket's hand-off: a queue S3 notifies about every new object under the feed's prefixes, its
 * dead-letter queue (redrive both ways restricted to the pair), and, for a bucket synth manages,
 * the bucket's notification configuration. A bucket has one such configuration and writing it
 * replaces the whole of it, so an existing bucket's is never written (synth prints the additions).
 */
export class SiemFeedQueues extends Construct {
  readonly queue: SqsQueue;
  readonly deadLetter: SqsQueue;

  constructor(scope: Construct, id: string, props: SiemFeedProps) {
    super(scope, id);
    const { feed } = props;
    const encryption = props.kmsKeyArn
      ? { kmsMasterKeyId: props.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 }
      : { sqsManagedSseEnabled: true };
    this.deadLetter = new SqsQueue(this, "dead_letter", {
      name: feed.dlqName,
      // The longest SQS allows: a message lands here after the SIEM failed it maxReceiveCount times.
      messageRetentionSeconds: 1_209_600,
      ...encryption,
    });
    this.queue = new SqsQueue(this, "queue", {
      name: feed.queueName,
      messageRetentionSeconds: props.messageRetentionSeconds,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
      redrivePolicy: `\${jsonencode({ deadLetterTargetArn = ${this.deadLetter.fqn}.arn, maxReceiveCount = ${props.maxReceiveCount} })}`,
      ...encryption,
    });
    new SqsQueueRedriveAllowPolicy(this, "dead_letter_sources", {
      queueUrl: this.deadLetter.url,
      redriveAllowPolicy: `\${jsonencode({ redrivePermission = "byQueue", sourceQueueArns = [${this.queue.fqn}.arn] })}`,
    });
    const policy = new SqsQueuePolicy(this, "queue_policy", {
      queueUrl: this.queue.url,
      policy: stableJson(props.queuePolicy),
    });
    if (feed.managed) {
      new S3BucketNotification(this, "notification", {
        bucket: feed.bucket,
        queue: feed.filters.map((prefix) => ({
          queueArn: this.queue.arn,
          events: [...SIEM_EVENTS],
          ...(prefix === "" ? {} : { filterPrefix: prefix }),
        })),
        // S3 checks it may send (a test message) when the configuration is written.
        dependsOn: [policy, ...(props.dependsOn ?? [])],
      });
    }
  }
}
