/** `verify` for one config: collect facts from one source, then run every rule that applies. */
import type { Config } from "../config/schema.js";
import { partition } from "../config/derived.js";
import { asArray, type Statement } from "../iam/policies/types.js";
import { loadActionCatalog } from "../iam/action-catalog.js";
import { evaluate, type Result } from "../engine/evaluate.js";
import type { Facts } from "../checks/config/facts.js";
import { RULES } from "../checks/config/rules/index.js";
import type { AwsOptions } from "../aws/clients.js";
import type { PublicKeySource } from "../checks/integrity/collect.js";
import { failed, present, type Fact } from "../checks/config/facts.js";
import type { Rule } from "../engine/rule.js";

export interface VerifyOptions {
  aws: AwsOptions;
  /** Also check what arrived in the bucket. */
  delivery?: { maxAgeHours: number; now?: Date };
  /** Also validate CloudTrail digests and log files since this time. */
  integrity?: { since: Date; until?: Date; keySource?: PublicKeySource };
  /** Also check the Cloudsmith audit-log API for this organization. */
  cloudsmith?: { org: string; apiKey?: string; baseUrl?: string };
  /** A stack directory, cdk.tf.json or plan JSON: verify before deploy. */
  staticPath?: string;
  /** Shows progress while reading AWS (text output on a terminal). */
  progress?: boolean;
}

export async function collectFacts(cfg: Config, opts: Pick<VerifyOptions, "aws" | "staticPath" | "progress" | "delivery" | "integrity" | "cloudsmith">): Promise<Facts> {
  if (opts.staticPath !== undefined) {
    const { readTerraformSource } = await import("../checks/config/collect/static/terraform.js");
    const { factsFromTerraform } = await import("../checks/config/collect/static/facts.js");
    const facts = factsFromTerraform(cfg, await readTerraformSource(opts.staticPath, { partition: partition(cfg), accountId: cfg.accountId }));
    if (opts.cloudsmith) facts.cloudsmithAuditLog = await (await import("../checks/cloudsmith/collect.js")).checkAuditLogAccess(opts.cloudsmith.org, opts.cloudsmith);
    return facts;
  }
  const [{ collectLive }, { createClients }] = await Promise.all([import("../checks/config/collect/live/index.js"), import("../aws/clients.js")]);
  const showProgress = opts.progress && process.stderr.isTTY;
  const clients = await createClients(cfg, opts.aws);
  try {
    const facts = await collectLive(cfg, opts.aws, showProgress ? (done, total) => process.stderr.write(`\rReading AWS… ${done}/${total}`) : undefined, clients);
    if (opts.cloudsmith) {
      const { checkAuditLogAccess } = await import("../checks/cloudsmith/collect.js");
      facts.cloudsmithAuditLog = await checkAuditLogAccess(opts.cloudsmith.org, opts.cloudsmith);
    }
    if (opts.delivery) {
      const { collectDelivery } = await import("../checks/delivery/collect.js");
      facts.delivery = await collectDelivery(clients, cfg, opts.delivery);
    }
    if (opts.integrity) {
      if (showProgress) process.stderr.write("\r\u001b[2KValidating CloudTrail digests and log files…");
      const { validateLogs, cloudTrailKeySource } = await import("../checks/integrity/collect.js");
      const keySource = opts.integrity.keySource ?? cloudTrailKeySource(clients);
      facts.integrity = await guardFact(() => validateLogs(clients, cfg, { ...opts.integrity!, keySource }));
    }
    return facts;
  } finally {
    clients.destroy();
    if (showProgress) process.stderr.write("\r\u001b[2K");
  }
}

async function guardFact<T>(f: () => Promise<T>): Promise<Fact<T>> {
  try {
    return present(await f());
  } catch (e) {
    return failed(`${(e as Error).name}: ${(e as Error).message}`);
  }
}

/** The rules for this run: the configuration rules, plus delivery and integrity when collected. */
export async function rulesFor(facts: Facts): Promise<Rule[]> {
  const rules: Rule[] = [...RULES];
  if (facts.delivery) rules.push(...(await import("../checks/delivery/rules/index.js")).DELIVERY_RULES);
  if (facts.integrity) rules.push(...(await import("../checks/integrity/rules/index.js")).INTEGRITY_RULES);
  if (facts.cloudsmithAuditLog) rules.push((await import("../checks/cloudsmith/collect.js")).cloudsmithAuditLogAccess);
  return rules;
}

/** Every Action named in the role's readable policies, so wildcards can be expanded. */
function actionsIn(facts: Facts): string[] {
  const docs = [
    ...(facts.rolePolicies.state === "present" ? facts.rolePolicies.value.flatMap((p) => (p.document.state === "present" ? [p.document.value] : [])) : []),
    ...(facts.permissionsBoundary.state === "present" && facts.permissionsBoundary.value ? [facts.permissionsBoundary.value] : []),
  ];
  return docs.flatMap((d) => asArray(d.Statement as Statement | Statement[]).flatMap((s) => [...asArray(s.Action), ...asArray(s.NotAction)]));
}

export async function verifyFacts(facts: Facts): Promise<Result[]> {
  await loadActionCatalog(actionsIn(facts));
  return evaluate(await rulesFor(facts), facts);
}
