import { read } from "../../../engine/fact.js";
import { errored, fail, type Outcome, pass } from "../../../engine/rule.js";
import type { FeedFacts, NotificationView, SiemRule } from "../facts.js";
import { bucketResource, noSiem, siemFactsOf } from "./helpers.js";

/** Whether the events name every way an object is created (s3:ObjectCreated:* or each of its kinds). */
const ALL_CREATED = [
  "s3:ObjectCreated:Put",
  "s3:ObjectCreated:Post",
  "s3:ObjectCreated:Copy",
  "s3:ObjectCreated:CompleteMultipartUpload",
];
const coversCreated = (events: readonly string[]): boolean =>
  events.includes("s3:ObjectCreated:*") || ALL_CREATED.every((e) => events.includes(e));

/** Whether two event lists share an event type (a wildcard covers its kinds). */
function eventsOverlap(a: readonly string[], b: readonly string[]): boolean {
  const family = (e: string) => e.replace(/:[^:]*$/, ":");
  return a.some((x) =>
    b.some(
      (y) => x === y || (x.endsWith(":*") && y.startsWith(family(x))) || (y.endsWith(":*") && x.startsWith(family(y))),
    ),
  );
}

/** S3 refuses overlapping prefixes with overlapping suffixes for the same event types: name any. */
function overlaps(ns: readonly NotificationView[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ns.length; i++)
    for (let j = i + 1; j < ns.length; j++) {
      const [a, b] = [ns[i]!, ns[j]!];
      const prefixes = a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix);
      const suffixes = a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix);
      if (prefixes && suffixes && eventsOverlap(a.events, b.events))
        out.push(`${a.id ?? `#${i + 1}`} and ${b.id ?? `#${j + 1}`} (prefixes "${a.prefix}" and "${b.prefix}")`);
    }
  return out;
}

function judge(f: FeedFacts, ns: readonly NotificationView[]): Outcome {
  const resource = bucketResource(f);
  const toQueue = ns.filter((n) => n.kind === "queue" && n.destination === f.feed.queueArn);
  const problems: string[] = [];
  for (const { source, prefix } of f.feed.prefixes) {
    const covering = toQueue.filter((n) => prefix.startsWith(n.prefix) && coversCreated(n.events));
    if (covering.length === 0) {
      const partial = toQueue.find((n) => prefix.startsWith(n.prefix));
      problems.push(
        partial
          ? `the ${source} prefix "${prefix}" is notified only for ${partial.events.join(", ")}, not every s3:ObjectCreated event`
          : `no notification to ${f.feed.queueName} covers the ${source} prefix "${prefix}": its files never reach the SIEM`,
      );
    } else if (covering.every((n) => n.suffix !== ""))
      problems.push(
        `the ${source} prefix "${prefix}" is notified only for keys ending in ${covering.map((n) => `"${n.suffix}"`).join(" or ")}: other files are missed`,
      );
  }
  const clash = overlaps(ns);
  if (clash.length > 0) problems.push(`overlapping notifications: ${clash.join("; ")}`);
  return problems.length > 0
    ? fail(resource, problems.join("; "))
    : pass(
        resource,
        `every prefix (${f.feed.prefixes.map((p) => `"${p.prefix}"`).join(", ")}) notifies ${f.feed.queueName}; nothing overlaps`,
      );
}

export const siemNotifications: SiemRule = {
  id: "siem.notifications",
  title: "Every export and trail prefix notifies the queue, and no notifications overlap",
  severity: "high",
  rationale:
    "A prefix without a notification is a log the SIEM never sees, and nothing reports it. A bucket has one notification configuration: writing it by hand (or another tool writing it) replaces the rest, so a lost entry is the usual way this breaks. Overlapping entries are refused by S3 at the next write.",
  remediation: {
    terraform:
      "A bucket synth manages: synth and terraform apply. An existing bucket: add the QueueConfigurations synth prints to its current configuration (get-bucket-notification-configuration, then put the whole back).",
    console:
      "S3 > (bucket) > Properties > Event notifications: one notification per prefix synth lists, All object create events, destination the SIEM queue; no other notification may overlap it.",
  },
  docs: "Reads the bucket's notification configuration. Each export prefix (and the trail's AWSLogs/ prefix when the trail is ours) must be covered by a queue notification to the feed's queue whose prefix filter is a prefix of it, for s3:ObjectCreated:* (or all four of its kinds) and without a suffix filter. Any two notifications (queue, topic or Lambda) whose prefixes, suffixes and event types overlap FAIL, named. Applies to existing buckets too: verify checks the additions once made.",
  notApplicable: noSiem,
  evaluate(facts) {
    return siemFactsOf(facts).feeds.map((f) => {
      if (f.notifications.state === "error" || f.notifications.state === "unknown")
        return errored(bucketResource(f), `could not read the notification configuration: ${f.notifications.detail}`);
      const ns = read(f.notifications, `the notifications of ${f.feed.bucket}`);
      if (!ns) return fail(bucketResource(f), `the bucket ${f.feed.bucket} does not exist`);
      return judge(f, ns);
    });
  },
};
