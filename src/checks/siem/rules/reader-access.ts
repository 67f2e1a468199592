import { read, Undecidable } from "../../../engine/fact.js";
import { fail, pass } from "../../../engine/rule.js";
import { evaluateRequest } from "../../../iam/eval/evaluate.js";
import { isUndecided } from "../../../iam/eval/tri.js";
import { siemOf } from "../../../siem/feeds.js";
import { logFileKeys, READER_QUEUE_ACTIONS } from "../../../siem/policies.js";
import { describeDecision } from "../../refusals.js";
import type { SiemRule } from "../facts.js";
import { noSiem, probeObject, readerPolicySet, readerRequest, readerResource, siemFactsOf } from "./helpers.js";

export const siemReaderAccess: SiemRule = {
  id: "siem.reader-access",
  title: "The SIEM's reader can read every log file and consume the queue",
  severity: "high",
  rationale:
    "A reader that cannot read a prefix, receive, delete or extend a message, or decrypt a file fails quietly in the SIEM: messages go round until the dead-letter queue, and the logs are never indexed.",
  remediation: {
    terraform: "Run synth again and terraform apply: the reader role gets exactly what it needs.",
    console:
      "IAM > Roles > (reader) > Permissions: s3:GetObject on each export prefix and the trail's AWSLogs/ prefix; sqs:ReceiveMessage, sqs:DeleteMessage and sqs:ChangeMessageVisibility on each SIEM queue; kms:Decrypt on SSE-KMS keys through S3 (and on the queues' key through SQS).",
  },
  docs: "Asks the evaluator, with the reader role's inline and attached policies and its permissions boundary, whether the role's session may GetObject a file under each prefix of each feed, receive, delete and change the visibility of messages on each queue, and decrypt with each key it needs (through S3 for SSE-KMS files, through SQS for a customer key on the queues). Anything refused FAILs, named with the statement that refused it; an open condition is ERROR.",
  notApplicable: noSiem,
  evaluate(facts) {
    const cfg = facts.config;
    const s = siemFactsOf(facts);
    const reader = read(s.reader, "the reader role");
    if (!reader) return fail(readerResource(cfg), "the reader role does not exist");
    const policies = readerPolicySet(facts);
    const asks: Array<{ what: string; action: string; resource: string; extra?: Record<string, string> }> = [];
    for (const f of s.feeds) {
      for (const p of f.feed.prefixes)
        asks.push({
          what: `read ${f.feed.bucket}/${p.prefix}`,
          action: "s3:GetObject",
          resource: probeObject(f.feed.bucketArn, p.prefix),
        });
      for (const action of READER_QUEUE_ACTIONS)
        asks.push({ what: `${action} on ${f.feed.queueName}`, action, resource: f.feed.queueArn });
    }
    for (const key of logFileKeys(cfg))
      asks.push({
        what: `decrypt files with ${key}`,
        action: "kms:Decrypt",
        resource: key,
        extra: { "kms:ViaService": `s3.${cfg.region}.amazonaws.com`, "aws:ViaAWSService": "true" },
      });
    const queueKey = siemOf(cfg)!.kmsKeyArn;
    if (queueKey)
      asks.push({
        what: `decrypt notifications with ${queueKey}`,
        action: "kms:Decrypt",
        resource: queueKey,
        extra: { "kms:ViaService": `sqs.${cfg.region}.amazonaws.com`, "aws:ViaAWSService": "true" },
      });
    const refused: string[] = [];
    for (const a of asks) {
      const d = evaluateRequest(readerRequest(cfg, a.action, a.resource, reader.tags, a.extra), policies);
      if (isUndecided(d.allowed))
        throw new Undecidable("ERROR", `cannot tell whether the reader can ${a.what}: ${describeDecision(d)}`);
      if (d.allowed !== true) refused.push(`cannot ${a.what} (${describeDecision(d)})`);
    }
    return refused.length > 0
      ? fail(readerResource(cfg), refused.join("; "))
      : pass(readerResource(cfg), `reads every prefix and consumes ${s.feeds.map((f) => f.feed.queueName).join(", ")}`);
  },
};
