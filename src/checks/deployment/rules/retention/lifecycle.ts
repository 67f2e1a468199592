import { exportTargets, keyPrefix, retentionOf } from "../../../../config/derived.js";
import { Undecidable } from "../../../../engine/fact.js";
import { errored, fail, type Outcome, pass } from "../../../../engine/rule.js";
import { trailOff } from "../../../shared.js";
import type { BucketFacts, DeploymentFacts, DeploymentRule, LifecycleRuleView } from "../../facts.js";
import { bucketResource } from "../helpers.js";

/** Storage classes whose objects must be restored before they can be read (not "immediately available"). */
const ARCHIVE = new Set(["GLACIER", "DEEP_ARCHIVE"]);

/** The evidence in a bucket: the export prefixes it holds and the trail's AWSLogs/ folder. */
function evidence(facts: DeploymentFacts, b: BucketFacts): string[] {
  const cfg = facts.config;
  const out: string[] = [];
  if (b.name === cfg.bucket.name) for (const t of exportTargets(cfg)) out.push(keyPrefix(t.prefix));
  if (!trailOff(cfg) && b === facts.trailBucket) out.push(`${keyPrefix(cfg.cloudtrail.prefix)}AWSLogs/`);
  return out;
}

/** Whether a rule on `prefix` takes objects under `evidence` (either one inside the other). */
const overlaps = (prefix: string, ev: string) => ev.startsWith(prefix) || prefix.startsWith(ev);

function judge(facts: DeploymentFacts, b: BucketFacts, keep: { days: number; immediateDays: number }): Outcome {
  const resource = bucketResource(b);
  if (!b.lifecycle) return errored(resource, "the lifecycle configuration was not read");
  if (b.lifecycle.state === "absent") return pass(resource, "no lifecycle rule: nothing is deleted or archived");
  if (b.lifecycle.state !== "present")
    return errored(resource, `could not read the lifecycle configuration: ${b.lifecycle.detail}`);
  const ev = evidence(facts, b);
  const wrong: string[] = [];
  let undecided: string | undefined;
  for (const rule of b.lifecycle.value.filter((r: LifecycleRuleView) => r.enabled)) {
    const hit = ev.filter((e) => overlaps(rule.prefix, e));
    if (hit.length === 0) continue;
    const bad: string[] = [];
    if (rule.expirationDays !== undefined && rule.expirationDays < keep.days)
      bad.push(`expires objects after ${rule.expirationDays} days`);
    if (rule.expirationDate !== undefined) bad.push(`expires every object on ${rule.expirationDate.slice(0, 10)}`);
    if (rule.noncurrentDays !== undefined && rule.noncurrentDays < keep.days)
      bad.push(`deletes overwritten versions after ${rule.noncurrentDays} days`);
    for (const t of rule.transitions)
      if (ARCHIVE.has(t.storageClass) && (t.date !== undefined || (t.days ?? 0) < keep.immediateDays))
        bad.push(`archives to ${t.storageClass} ${t.date ? `on ${t.date.slice(0, 10)}` : `after ${t.days} days`}`);
    for (const t of rule.noncurrentTransitions ?? [])
      if (ARCHIVE.has(t.storageClass) && (t.days ?? 0) < keep.immediateDays)
        bad.push(`archives overwritten versions to ${t.storageClass} after ${t.days ?? 0} days`);
    if (bad.length === 0) continue;
    // A tag or size filter may spare the evidence, or not: the keys cannot tell.
    if (rule.narrowedBy.length > 0) {
      undecided ??= `rule ${rule.id} ${bad.join(", ")} for objects under ${hit.join(", ")} with ${rule.narrowedBy.join(" and ")}: whether the evidence carries them cannot be told`;
      continue;
    }
    wrong.push(`rule ${rule.id} ${bad.join(", ")} under ${hit.join(", ")}`);
  }
  if (wrong.length > 0)
    return fail(
      resource,
      `${wrong.join("; ")}: evidence must be kept ${keep.days} days, ${keep.immediateDays} of them immediately readable`,
    );
  if (undecided) throw new Undecidable("ERROR", undecided);
  return pass(
    resource,
    `no rule deletes evidence before ${keep.days} days or archives it before ${keep.immediateDays}`,
  );
}

export const retentionLifecycle: DeploymentRule = {
  id: "retention.lifecycle",
  title: "No lifecycle rule deletes or archives the evidence before the retention period",
  severity: "high",
  rationale:
    "Auditors ask for log history to be kept (PCI DSS v4.0 10.5.1: at least 12 months, the last three immediately available). A lifecycle rule that expires, deletes overwritten versions of, or archives the export or trail files sooner destroys that evidence silently, on a schedule.",
  remediation: {
    terraform:
      "Raise the rule's expiration and noncurrent-version expiration to the retention days and move archive transitions past the immediate period (or narrow the rule's prefix away from the evidence) in aws_s3_bucket_lifecycle_configuration.",
    console: "S3 > (bucket) > Management > Lifecycle rules: edit the rule the message names.",
  },
  docs: "With `retention` in the config (days, immediateDays, or profile pci-dss = 365 and 90), reads the lifecycle configuration of the export bucket and the trail bucket. Every enabled rule whose prefix overlaps an export prefix or the trail's AWSLogs/ folder must not expire objects before `days` (nor on a fixed date), must not expire noncurrent versions before `days`, and must not transition current or noncurrent versions to GLACIER or DEEP_ARCHIVE before `immediateDays`. A rule narrowed by tags or sizes that would break these is ERROR (the keys cannot tell what it takes).",
  notApplicable: (cfg) => (retentionOf(cfg) === undefined ? "the config sets no retention" : undefined),
  evaluate(facts) {
    const keep = retentionOf(facts.config)!;
    const out = [judge(facts, facts.exportBucket, keep)];
    if (!trailOff(facts.config) && facts.trailBucket !== facts.exportBucket)
      out.push(judge(facts, facts.trailBucket, keep));
    return out;
  },
};
