/**
 * `verify` for one config: the packs the user asked for collect their facts,
 * then their rules run. Rules follow the options, not the facts: a pack that
 * could not collect reports ERROR for each of its rules. A pack's gate (the
 * credentials' account) may stop the others: their rules are SKIPPED, saying
 * why, and nothing else is read.
 */
import type { Clients } from "../aws/clients.js";
import { describeError } from "../aws/describe-error.js";
import {
  type AnyPack,
  type CollectContext,
  enabledPacks,
  enabledRules,
  type Facts,
  type RunOptions,
} from "../checks/index.js";
import type { Config } from "../config/schema.js";
import { evaluate, type Result } from "../engine/evaluate.js";
import { debug } from "../util/debug.js";

export interface VerifyOptions extends RunOptions {
  /**
   * Where progress goes while reading AWS: a status line, or undefined to clear it. The CLI passes
   * one for text output on a terminal; the runner itself never writes.
   */
  progress?: (status: string | undefined) => void;
  /** Which rules run (--rule, --skip-rule): ids as the registry has them. */
  ruleIds?: ReadonlySet<string>;
  /** Who the credentials are, when the run already asked (the same credentials for every config). */
  identity?: { account: string; arn: string };
}

/** Facts, plus why the run stopped early when a pack's gate closed (then nothing else was read). */
export type CollectedFacts = Facts & { stopped?: { pack: string; reason: string } };

export async function collectFacts(cfg: Config, opts: VerifyOptions): Promise<CollectedFacts> {
  const facts = { config: cfg } as CollectedFacts;
  const packs = enabledPacks(opts);
  const status = opts.progress;
  let clients: Promise<Clients> | undefined;
  const ctx: CollectContext = {
    config: cfg,
    options: opts,
    identity: opts.identity,
    clients: () => {
      clients ??= import("../aws/clients.js").then(({ createClients }) => createClients(cfg, opts.aws));
      return clients;
    },
    progress: (done, total, what) => status?.(`${what}${total > 0 ? ` ${done}/${total}` : ""}`),
  };
  try {
    // The user's inputs first (the --static file): a problem there is exit 2, not a check result.
    for (const pack of packs) await pack.prepare?.(ctx, facts);
    // Gates next (the credentials' account): when one closes, nothing else is read.
    for (const pack of packs.filter((p) => p.gate)) {
      await collectPack(pack, ctx, opts, facts);
      const reason = pack.gate!(facts);
      if (reason !== undefined) {
        facts.stopped = { pack: pack.id, reason };
        return facts;
      }
    }
    for (const pack of packs.filter((p) => !p.gate)) await collectPack(pack, ctx, opts, facts);
    return facts;
  } finally {
    if (clients) (await clients.catch(() => undefined))?.destroy();
    status?.(undefined);
  }
}

async function collectPack(pack: AnyPack, ctx: CollectContext, opts: RunOptions, facts: Facts): Promise<void> {
  const start = performance.now();
  try {
    await pack.collect(ctx, opts[pack.id], facts);
    debug(`collected the ${pack.id} facts in ${Math.round(performance.now() - start)} ms`);
  } catch (e) {
    debug(`collecting the ${pack.id} facts failed after ${Math.round(performance.now() - start)} ms`);
    pack.fail(facts, describeError(e));
  }
}

/** Facts for a config that could not be read at all (its role could not be assumed): every requested rule is ERROR. */
export function unreadableFacts(cfg: Config, opts: RunOptions, detail: string): Facts {
  const facts = { config: cfg } as Facts;
  for (const pack of enabledPacks(opts)) pack.fail(facts, detail);
  return facts;
}

/** Runs the rules of every pack the options enable (and --rule/--skip-rule select). */
export async function verifyFacts(facts: CollectedFacts, opts: VerifyOptions = { aws: {} }): Promise<Result[]> {
  const all = enabledRules(opts);
  const { ruleIds } = opts;
  const rules = ruleIds ? all.filter((r) => ruleIds.has(r.id)) : all;
  if (facts.stopped !== undefined) {
    // The gate's rules run, whatever --rule or --skip-rule asked: they are why nothing else did,
    // and they fail the run (critical, above every threshold). The rest would describe what was
    // not read.
    const gate = enabledPacks(opts).find((p) => p.id === facts.stopped!.pack)!;
    const own = new Set(gate.rules.map((r) => r.id));
    return [
      ...evaluate(
        all.filter((r) => own.has(r.id)),
        facts,
      ),
      ...rules
        .filter((r) => !own.has(r.id))
        .map(
          (r): Result => ({
            ruleId: r.id,
            title: r.title,
            severity: r.severity,
            status: "SKIPPED",
            resource: "-",
            message: facts.stopped!.reason,
          }),
        ),
    ];
  }
  for (const pack of enabledPacks(opts)) await pack.beforeRules?.(facts);
  return evaluate(rules, facts);
}
