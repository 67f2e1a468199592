import { read } from "../../../engine/fact.js";
import { fail, pass } from "../../../engine/rule.js";
import type { SiemRule } from "../facts.js";
import { eachQueue, noSiem, queueResource } from "./helpers.js";

export const siemDeadLetter: SiemRule = {
  id: "siem.dead-letter",
  title: "Notifications the SIEM keeps failing move to a dead-letter queue",
  severity: "medium",
  rationale:
    "Without a dead-letter queue a notification the SIEM cannot process is retried until it expires and is then gone, with the log file it named never read. A dead-letter queue keeps it (14 days) where it can be seen and redriven.",
  remediation: {
    terraform: "Run synth again and terraform apply: the queue gets its dead-letter queue and redrive policy.",
    console:
      "SQS > (queue) > Dead-letter queue: enable, choose <queue>-dlq, maximum receives as siem.maxReceiveCount; give the dead-letter queue a retention at least as long as the queue's.",
  },
  docs: "The queue's redrive policy must name the feed's dead-letter queue (which must exist) with a maxReceiveCount of 1 or more, and the dead-letter queue must keep messages at least as long as the queue does (a moved message keeps its original enqueue time).",
  notApplicable: noSiem,
  evaluate(facts) {
    return eachQueue(facts, (f, q) => {
      const resource = queueResource(f);
      if (!q.redrive?.deadLetterTargetArn)
        return fail(resource, "no redrive policy: failed notifications expire unseen");
      if (q.redrive.deadLetterTargetArn !== f.feed.dlqArn)
        return fail(resource, `the redrive policy sends to ${q.redrive.deadLetterTargetArn}, not ${f.feed.dlqArn}`);
      if (!(Number(q.redrive.maxReceiveCount) >= 1))
        return fail(resource, `the redrive policy's maxReceiveCount is ${q.redrive.maxReceiveCount}`);
      const dlq = read(f.deadLetter, `the dead-letter queue ${f.feed.dlqName}`);
      if (!dlq) return fail(resource, `the dead-letter queue ${f.feed.dlqName} does not exist`);
      if ((dlq.retentionSeconds ?? 0) < (q.retentionSeconds ?? 0))
        return fail(
          resource,
          `the dead-letter queue keeps messages ${dlq.retentionSeconds ?? 0} s, less than the queue's ${q.retentionSeconds} s: moved notifications expire early`,
        );
      return pass(resource, `after ${q.redrive.maxReceiveCount} receives a notification moves to ${f.feed.dlqName}`);
    });
  },
};
