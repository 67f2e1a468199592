import { read } from "../../../engine/fact.js";
import { errored, fail, type Outcome, pass, skipped } from "../../../engine/rule.js";
import type { SiemRule } from "../facts.js";
import { noSiem, queueResource, siemFactsOf } from "./helpers.js";

export const siemDelivery: SiemRule = {
  id: "siem.delivery",
  title: "Notifications of the newest files reach the queue and are consumed",
  severity: "medium",
  rationale:
    "Every piece can be right and the hand-off still stall: a SIEM input that stopped, or one that keeps failing and lets notifications pile into the dead-letter queue.",
  remediation: {
    terraform: "Nothing to apply: look at the SIEM's S3/SQS input (its credentials, role ARN, External ID, queue URL).",
    console:
      "SQS > (queue) > Monitoring: messages received and deleted; SQS > (queue)-dlq: redrive the messages once the SIEM reads them again.",
  },
  docs: "With --delivery: finds the newest object under each fed prefix, then reads the queue's and the dead-letter queue's approximate counts. Messages in the dead-letter queue FAIL (the SIEM failed them). Messages waiting or in flight pass (the newest file's notification is among them or already consumed), as does an empty queue and dead-letter queue with files present (consumed). Approximate counts cannot tell which message is which, and S3 reports no sends: a notification that was never sent shows in siem.notifications and siem.queue-policy, not here. SKIPPED without --delivery or before the first file.",
  notApplicable: noSiem,
  evaluate(facts) {
    const s = siemFactsOf(facts);
    return s.feeds.map((f): Outcome => {
      const resource = queueResource(f);
      if (!s.delivery) return skipped(resource, "run with --delivery to read the queues' counts");
      const newest = (f.newest ?? [])
        .map((n) => read(n.object, `the newest file under ${f.feed.bucket}/${n.prefix}`))
        .filter((o) => o !== undefined)
        .sort((a, b) => (a.lastModified < b.lastModified ? 1 : -1))[0];
      if (!newest) return skipped(resource, `nothing under the fed prefixes of ${f.feed.bucket} yet`);
      if (f.queue.state !== "present")
        return f.queue.state === "absent"
          ? fail(resource, `no queue ${f.feed.queueName}`)
          : errored(resource, `could not read the queue: ${"detail" in f.queue ? f.queue.detail : ""}`);
      const dlq = read(f.deadLetter, `the dead-letter queue ${f.feed.dlqName}`);
      const q = f.queue.value;
      const at = `the newest file is ${newest.key} (${newest.lastModified})`;
      if (dlq && dlq.visible + dlq.inFlight > 0)
        return fail(
          resource,
          `${dlq.visible + dlq.inFlight} notification(s) in ${f.feed.dlqName}: the SIEM failed them; ${at}`,
        );
      return q.visible + q.inFlight > 0
        ? pass(resource, `${q.visible} waiting and ${q.inFlight} being read (approximate); ${at}`)
        : pass(resource, `the queue and its dead-letter queue are empty (approximate): consumed; ${at}`);
    });
  },
};
