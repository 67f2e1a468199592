/**
 * `verify` for one config: the packs the user asked for collect their facts,
 * then their rules run. Rules follow the options, not the facts: a pack that
 * could not collect reports ERROR for each of its rules.
 */
import type { Clients } from "../aws/clients.js";
import type { TfFile } from "../checks/config/collect/static/terraform.js";
import { type CheckOptions, type CollectContext, enabledPacks, type Facts } from "../checks/index.js";
import { partition } from "../config/derived.js";
import type { Config } from "../config/schema.js";
import { evaluate, type Result } from "../engine/evaluate.js";
import { describeError, type Fact, present } from "../engine/fact.js";
import { loadActionCatalog } from "../iam/action-catalog.js";
import { asArray, type PolicyDocument, type Statement } from "../iam/policies/types.js";
import { debug } from "../util/debug.js";

export interface VerifyOptions extends CheckOptions {
  /** Shows progress while reading AWS (text output on a terminal). */
  progress?: boolean;
  /** Which rules run (--rule, --skip-rule): ids as the registry has them. */
  ruleIds?: ReadonlySet<string>;
  /** Who the credentials are, when the run already asked (the same credentials for every config). */
  identity?: { account: string; arn: string };
}

/**
 * Facts, plus the Terraform file they came from on a static run (results point into it), and the
 * account the credentials belong to when it is not the config's (then nothing else was read).
 */
export type CollectedFacts = Facts & { terraformFile?: TfFile; wrongAccount?: string };

export async function collectFacts(cfg: Config, opts: VerifyOptions): Promise<CollectedFacts> {
  const facts = { config: cfg, source: "aws" } as CollectedFacts;
  let terraform: CollectContext["terraform"];
  if (opts.staticPath !== undefined) {
    // A missing or unreadable file is the user's input problem (exit 2), not a check result.
    const { readTerraformSource } = await import("../checks/config/collect/static/terraform.js");
    const file = await readTerraformSource(opts.staticPath, { partition: partition(cfg), accountId: cfg.accountId });
    terraform = file;
    facts.source = file.kind;
    facts.terraformFile = file;
  }
  const showProgress = opts.progress === true && process.stderr.isTTY === true;
  let clients: Promise<Clients> | undefined;
  const ctx: CollectContext = {
    config: cfg,
    options: opts,
    terraform,
    clients: () => {
      clients ??= import("../aws/clients.js").then(({ createClients }) => createClients(cfg, opts.aws));
      return clients;
    },
    progress: (done, total, what) => {
      if (showProgress) process.stderr.write(`\r\u001b[2K${what}${total > 0 ? ` ${done}/${total}` : ""}`);
    },
  };
  try {
    // Credentials for another account: say so once, and read nothing there (identity.account FAILs).
    if (opts.staticPath === undefined) {
      const who = opts.identity ?? (await askIdentity(ctx));
      if (who && who.account !== cfg.accountId) {
        facts.identity = present(who);
        facts.wrongAccount = who.account;
        return facts;
      }
      ctx.identity = who;
    }
    for (const pack of enabledPacks(opts)) {
      const start = performance.now();
      try {
        await pack.collect(ctx, facts);
        debug(`collected the ${pack.id} facts in ${Math.round(performance.now() - start)} ms`);
      } catch (e) {
        debug(`collecting the ${pack.id} facts failed after ${Math.round(performance.now() - start)} ms`);
        pack.fail(facts, describeError(e));
      }
    }
    return facts;
  } finally {
    if (clients) (await clients.catch(() => undefined))?.destroy();
    if (showProgress) process.stderr.write("\r\u001b[2K");
  }
}

/** Who the context's credentials are; undefined when STS cannot say (the reads then report why). */
async function askIdentity(ctx: CollectContext): Promise<{ account: string; arn: string } | undefined> {
  const c = await ctx.clients();
  const who = await c.sts.send(new c.stsmod.GetCallerIdentityCommand({})).catch(() => undefined);
  return who?.Account ? { account: who.Account, arn: who.Arn ?? "" } : undefined;
}

/** Facts for a config that could not be read at all (its role could not be assumed): every requested rule is ERROR. */
export function unreadableFacts(cfg: Config, opts: CheckOptions, detail: string): Facts {
  const facts = { config: cfg, source: "aws" } as Facts;
  for (const pack of enabledPacks(opts)) pack.fail(facts, detail);
  return facts;
}

/** Every Action named in the policies the facts hold, so wildcards can be expanded. */
function actionsIn(facts: Facts): string[] {
  const docs: PolicyDocument[] = [];
  const add = (f: Fact<PolicyDocument | null> | undefined) => {
    if (f?.state === "present" && f.value) docs.push(f.value);
  };
  if (facts.rolePolicies?.state === "present") for (const p of facts.rolePolicies.value) add(p.document);
  add(facts.permissionsBoundary);
  if (facts.role?.state === "present") add(facts.role.value.trustPolicy);
  add(facts.exportBucket?.policy);
  add(facts.trailBucket?.policy);
  add(facts.kmsKeyPolicy);
  return [
    "s3:PutObject",
    ...docs.flatMap((d) =>
      asArray(d.Statement as Statement | Statement[]).flatMap((s) => [...asArray(s.Action), ...asArray(s.NotAction)]),
    ),
  ];
}

/** Runs the rules of every pack the options enable (and --rule/--skip-rule select). */
export async function verifyFacts(facts: CollectedFacts, opts: VerifyOptions = { aws: {} }): Promise<Result[]> {
  const all = enabledPacks(opts).flatMap((p) => p.rules);
  const { ruleIds } = opts;
  const rules = ruleIds ? all.filter((r) => ruleIds.has(r.id)) : all;
  if (facts.wrongAccount !== undefined) {
    // Only the identity rule runs, whatever --rule or --skip-rule asked: it is why nothing else
    // did, and it fails the run (critical, above every threshold). The rest would describe
    // another account's resources.
    const why = `not checked: the credentials are for account ${facts.wrongAccount}, not ${facts.config.accountId} (the config's accountId)`;
    return [
      ...evaluate(
        all.filter((r) => r.id === IDENTITY_RULE),
        facts,
      ),
      ...rules
        .filter((r) => r.id !== IDENTITY_RULE)
        .map(
          (r): Result => ({
            ruleId: r.id,
            title: r.title,
            severity: r.severity,
            status: "SKIPPED",
            resource: "-",
            message: why,
          }),
        ),
    ];
  }
  await loadActionCatalog(actionsIn(facts));
  return evaluate(rules, facts);
}

const IDENTITY_RULE = "identity.account";
