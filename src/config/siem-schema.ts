/**
 * The optional SIEM hand-off (`siem`): S3 tells an SQS queue about every new export and trail
 * file, and a reader role the SIEM assumes may read exactly those files and consume the queue.
 */
import { z } from "zod";
import { PRINCIPAL_ARN_PATTERN } from "./auditor-schema.js";
import { ruled } from "./ruled.js";
import { checkExternalId, checkRoleName } from "./rules.js";

export const DEFAULT_SIEM_READER = "CloudsmithLogExportSiemReader";

export const SiemSchema = z
  .object({
    enabled: z.boolean().default(true).meta({ description: "false keeps the settings but synthesizes nothing." }),
    reader: z
      .object({
        principal: z
          .string()
          .regex(
            PRINCIPAL_ARN_PATTERN,
            "an IAM role, user or account root ARN without wildcards (arn:aws:iam::123456789012:role/siem)",
          )
          .meta({
            description:
              "Who the SIEM runs as: its SaaS account (arn:aws:iam::<account>:root) or a role (a collector in your account).",
          }),
        externalId: ruled(checkExternalId).optional().meta({
          description: "The External ID the SIEM issued; required when the principal is in another account.",
        }),
        roleName: ruled(checkRoleName)
          .default(DEFAULT_SIEM_READER)
          .meta({ description: "Name of the reader role the SIEM assumes (created with path '/')." }),
      })
      .strict(),
    kmsKeyArn: z.string().optional().meta({
      description:
        "Customer KMS key for the queues (default SSE-SQS). Never the AWS-managed aws/sqs key: S3 cannot use it and drops the notifications.",
    }),
    maxReceiveCount: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(5)
      .meta({ description: "Receives before a message moves to the dead-letter queue." }),
    messageRetentionDays: z
      .number()
      .int()
      .min(1)
      .max(14)
      .default(14)
      .meta({ description: "How long an unread notification waits (SQS allows 1 to 14 days)." }),
    visibilityTimeoutSeconds: z
      .number()
      .int()
      .min(0)
      .max(43_200)
      .default(300)
      .meta({ description: "How long a received message stays hidden while the SIEM reads the file." }),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.kmsKeyArn !== undefined && /alias\/aws\//.test(s.kmsKeyArn))
      ctx.addIssue({
        code: "custom",
        path: ["kmsKeyArn"],
        message:
          "an AWS-managed key cannot be used: S3 cannot encrypt with it and drops the notifications; leave kmsKeyArn out for SSE-SQS, or give a customer key",
        input: s.kmsKeyArn,
      });
  });

export type SiemConfig = z.output<typeof SiemSchema>;
