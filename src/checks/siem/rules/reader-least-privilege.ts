import { partition } from "../../../config/derived.js";
import { read } from "../../../engine/fact.js";
import { fail, pass } from "../../../engine/rule.js";
import { byDanger, candidateActions, candidateResources, type Grant, grantsOf } from "../../../iam/eval/grants.js";
import { wildcardMatch } from "../../../iam/eval/wildcard.js";
import { readableObjectArns, siemFeeds, siemOf } from "../../../siem/feeds.js";
import { logFileKeys, READER_QUEUE_ACTIONS, READER_QUEUE_METADATA } from "../../../siem/policies.js";
import { where } from "../../refusals.js";
import type { SiemRule } from "../facts.js";
import { noSiem, probeObject, readerPolicySet, readerRequest, readerResource, siemFactsOf } from "./helpers.js";

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** One line per granting statement, most dangerous first: the actions, and where. */
function describe(extras: Grant[]): string {
  const groups = new Map<string, Grant[]>();
  for (const g of extras) groups.set(where(g.by), [...(groups.get(where(g.by)) ?? []), g]);
  return [...groups]
    .map(([by, gs]) => {
      const actions = [...new Set(gs.map((g) => g.action))].sort(byDanger);
      const shown =
        actions.length > 6 ? `${actions.slice(0, 6).join(", ")} and ${actions.length - 6} more` : actions.join(", ");
      const vias = [...new Set(gs.map((g) => (g.by.via === "NotAction" ? "NotAction" : `"${g.by.via}"`)))];
      const when = gs.find((g) => g.when)?.when;
      return {
        top: actions[0]!,
        text: `${by} grants ${shown} (through ${vias.join(", ")}${when ? `, when ${when}` : ""})`,
      };
    })
    .sort((a, b) => byDanger(a.top, b.top))
    .map((l) => l.text)
    .join("; ");
}

export const siemReaderLeastPrivilege: SiemRule = {
  id: "siem.reader-least-privilege",
  title: "The SIEM's reader can do nothing beyond reading the logs and consuming the queue",
  severity: "high",
  rationale:
    'The reader is assumed by a third party (a SaaS SIEM) or a collector. s3:*, other prefixes or buckets, sqs:SendMessage (forged notifications), sqs:PurgeQueue or Resource "*" turn a log reader into access to your data or a way to blind the SIEM.',
  remediation: {
    terraform: "Attach only the generated inline policy to the reader; remove other inline and managed policies.",
    console: "IAM > Roles > (reader) > Permissions: remove every policy except cloudsmith-log-export-siem-reader.",
  },
  docs: "Asks the evaluator, for every action the reader's policies could grant (patterns expanded from AWS's action list; `*`, service wildcards and NotAction stand for a list of dangerous actions) on every resource they name and on probes (the bucket, elsewhere in it, another bucket, the dead-letter queue, another queue, any resource of the service), whether the reader's session is allowed, boundary and Denies applied. Anything beyond s3:GetObject under the fed prefixes, receive/delete/change-visibility (and the harmless sqs:GetQueueAttributes and sqs:GetQueueUrl) on the SIEM queues, and kms:Decrypt on the keys it needs FAILs, most dangerous first, naming the statement. A grant that hangs on an undecided condition counts.",
  notApplicable: noSiem,
  evaluate(facts) {
    const cfg = facts.config;
    const s = siemFactsOf(facts);
    const reader = read(s.reader, "the reader role");
    if (!reader) return fail(readerResource(cfg), "the reader role does not exist");
    const policies = readerPolicySet(facts);
    const feeds = siemFeeds(cfg);
    const queueArns = feeds.map((f) => f.queueArn);
    const keys = [...logFileKeys(cfg), ...(siemOf(cfg)!.kmsKeyArn ? [siemOf(cfg)!.kmsKeyArn!] : [])];
    const wanted = ["s3:GetObject", ...READER_QUEUE_ACTIONS, ...(keys.length > 0 ? ["kms:Decrypt"] : [])];
    const docs = (policies.identity ?? []).map((p) => p.document);
    const actions = candidateActions(docs, [...wanted, "sqs:SendMessage", "sqs:PurgeQueue", "s3:PutObject"]);
    const services = new Set(actions.map((a) => a.split(":")[0]!.toLowerCase()));
    const p = partition(cfg);
    const probes = [
      ...feeds.flatMap((f) => [
        f.bucketArn,
        `${f.bucketArn}/outside-the-fed-prefixes/probe`,
        ...f.prefixes.map((x) => probeObject(f.bucketArn, x.prefix)),
        f.queueArn,
        f.dlqArn,
      ]),
      `arn:${p}:s3:::another-bucket/probe`,
      `arn:${p}:sqs:${cfg.region}:${cfg.accountId}:another-queue`,
      ...keys,
      ...[...services].map((svc) => `arn:${p}:${svc}:${cfg.region}:${cfg.accountId}:probe`),
    ];
    const resources = candidateResources(docs, probes);
    const objects = readableObjectArns(cfg);
    const expected = (g: Grant) =>
      (same(g.action, "s3:GetObject") && objects.some((o) => wildcardMatch(o, g.resource))) ||
      ([...READER_QUEUE_ACTIONS, ...READER_QUEUE_METADATA].some((a) => same(a, g.action)) &&
        queueArns.includes(g.resource)) ||
      (same(g.action, "kms:Decrypt") && keys.includes(g.resource));
    const extras = grantsOf(policies, actions, resources, (a, r) => readerRequest(cfg, a, r, reader.tags)).filter(
      (g) => !expected(g),
    );
    return extras.length > 0
      ? fail(readerResource(cfg), describe(extras))
      : pass(readerResource(cfg), "only reads the fed prefixes and consumes the SIEM queues");
  },
};
