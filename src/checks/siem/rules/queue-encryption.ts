import { read, Undecidable } from "../../../engine/fact.js";
import { errored, fail, pass } from "../../../engine/rule.js";
import { evaluateRequest } from "../../../iam/eval/evaluate.js";
import { isUndecided } from "../../../iam/eval/tri.js";
import { describeDecision } from "../../refusals.js";
import type { SiemRule } from "../facts.js";
import { eachQueue, noSiem, queueResource, s3ServiceRequest } from "./helpers.js";

export const siemQueueEncryption: SiemRule = {
  id: "siem.queue-encryption",
  title: "The queue is encrypted with a key S3 can use",
  severity: "high",
  rationale:
    "Notifications name your log files. A queue encrypted with the AWS-managed aws/sqs key silently drops every notification S3 sends (S3 cannot use that key, and nothing reports it); a customer key must let s3.amazonaws.com call kms:GenerateDataKey and kms:Decrypt. An unencrypted queue keeps the names in clear.",
  remediation: {
    terraform:
      "Leave siem.kmsKeyArn out (SSE-SQS), or give a customer key whose policy has the statement synth prints, then synth and terraform apply.",
    console:
      "SQS > (queue) > Encryption: Amazon SQS key (SSE-SQS), or a customer managed key whose key policy allows s3.amazonaws.com kms:GenerateDataKey and kms:Decrypt. Never aws/sqs.",
  },
  docs: "Reads the queue's encryption. SSE-SQS passes. A KMS key is described: the AWS-managed aws/sqs key FAILs, naming it; a customer key passes only when its key policy allows s3.amazonaws.com kms:GenerateDataKey and kms:Decrypt (evaluated as KMS does: the key policy itself must allow; what S3 sends as aws:SourceArn/aws:SourceAccount is not documented, so a condition on them is ERROR). No encryption FAILs.",
  notApplicable: noSiem,
  evaluate(facts) {
    const cfg = facts.config;
    return eachQueue(facts, (f, q) => {
      const resource = queueResource(f);
      if (!q.kmsMasterKeyId)
        return q.sqsManagedSse
          ? pass(resource, "SSE-SQS, which S3 can use")
          : fail(resource, "the queue is not encrypted: notifications name your log files in clear");
      if (/alias\/aws\/sqs$/.test(q.kmsMasterKeyId))
        return fail(
          resource,
          "encrypted with the AWS-managed aws/sqs key: S3 cannot use it and drops every notification",
        );
      if (!f.key) return errored(resource, `the queue's key ${q.kmsMasterKeyId} was not read`);
      const key = read(f.key, `the queue's key ${q.kmsMasterKeyId}`);
      if (!key)
        return fail(resource, `the queue's key ${q.kmsMasterKeyId} does not exist: S3 drops every notification`);
      if (key.manager !== "CUSTOMER")
        return fail(
          resource,
          `encrypted with the AWS-managed key ${key.arn} (aws/sqs): S3 cannot use it and drops every notification`,
        );
      const doc = read(key.policy!, `the key policy of ${key.arn}`)!;
      const missing: string[] = [];
      for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
        const d = evaluateRequest(s3ServiceRequest(action, key.arn, cfg.accountId, "unknown"), {
          resource: { name: `the key policy of ${key.arn}`, document: doc },
          resourceMustAllow: true,
        });
        if (isUndecided(d.allowed))
          throw new Undecidable(
            "ERROR",
            `cannot tell whether S3 can call ${action} on ${key.arn}: ${describeDecision(d)}`,
          );
        if (d.allowed !== true) missing.push(action);
      }
      return missing.length > 0
        ? fail(
            resource,
            `the key policy of ${key.arn} does not let s3.amazonaws.com ${missing.join(" and ")}: S3 drops every notification`,
          )
        : pass(resource, `the customer key ${key.arn}, which S3 may use`);
    });
  },
};
