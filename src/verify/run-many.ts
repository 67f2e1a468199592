/**
 * verify over one or many configs (a central security account checking every
 * member account): bounded concurrency, an optional role assumed per account,
 * results grouped per config, and the exit code of the worst. It returns the
 * reports; the CLI renders and writes them.
 */

import { assumeRole, CredentialsMissing, preflightIdentity } from "../aws/clients.js";
import { ALL_RULES, GROUPS, PACKS } from "../checks/index.js";
import { partition } from "../config/derived.js";
import type { Config } from "../config/schema.js";
import { type ExitPolicy, exitCodeFor } from "../engine/evaluate.js";
import type { ConfigReport, RuleCatalog } from "../engine/report/index.js";
import { usageError } from "../util/errors.js";
import { mapBounded } from "../util/map-bounded.js";
import { redactUrl } from "../util/redact-url.js";
import { resultLocator } from "./locate.js";
import { type CollectedFacts, collectFacts, unreadableFacts, type VerifyOptions, verifyFacts } from "./run-one.js";
import { tfSourceIndex } from "./tf-sources.js";

/** The reports' view of the registry. */
export const CATALOG: RuleCatalog = { rules: ALL_RULES, groups: GROUPS };

export interface ConfigTarget {
  label: string;
  config: Config;
}

/** The config fields a live result follows from, by rule area, from every pack. */
const CONFIG_FIELDS: Readonly<Record<string, readonly string[]>> = Object.assign(
  {},
  ...PACKS.map((p) => p.configFields ?? {}),
);

export interface VerifyRunOptions extends VerifyOptions {
  allowErrors?: boolean;
  /** FAILs below this severity are reported and do not fail the run. */
  severityThreshold?: ExitPolicy["severityThreshold"];
  /** Told after each config of a run over several: how many are done (the CLI shows it on a terminal). */
  onConfigDone?: (done: number, total: number) => void;
  /** Role to assume in each config's account; `{accountId}` is replaced. */
  assumeRoleArn?: string;
  /** How many configs are verified at once. @default 8 */
  concurrency?: number;
  /** The whole run's budget. @default 15 minutes */
  deadlineMs?: number;
}

export const DEFAULT_DEADLINE_MS = 15 * 60_000;

/** The run outlived its deadline: exit 1, with the reason. */
export class RunDeadline extends Error {}

async function verifyOne(t: ConfigTarget, opts: VerifyRunOptions, single: boolean): Promise<ConfigReport> {
  const started = performance.now();
  let facts: CollectedFacts;
  try {
    // With a role to assume, STS's answer says whose credentials they are: no second question.
    const assumed =
      opts.assumeRoleArn && opts.staticPath === undefined
        ? await assumeRole(
            opts.assumeRoleArn.replace(/\{accountId\}/g, t.config.accountId),
            opts.aws.region ?? t.config.region,
            opts.aws,
          )
        : undefined;
    const aws = assumed ? { ...opts.aws, credentials: assumed.credentials } : opts.aws;
    facts = await collectFacts(t.config, {
      ...opts,
      ...(assumed?.identity ? { identity: assumed.identity } : {}),
      aws,
      progress: single ? opts.progress : undefined,
    });
  } catch (e) {
    if (opts.staticPath !== undefined) throw e;
    facts = unreadableFacts(t.config, opts, (e as Error).message);
  }
  const terraform = PACKS.map((p) => p.locator?.(facts)).find((l) => l !== undefined);
  const locate = await resultLocator({
    label: t.label,
    fieldsByArea: CONFIG_FIELDS,
    terraform,
    tfSources: terraform ? tfSourceIndex() : undefined,
  });
  const results = (await verifyFacts(facts, opts)).map((r) => ({ ...r, location: locate(r) }));
  const policy: ExitPolicy = { allowErrors: opts.allowErrors, severityThreshold: opts.severityThreshold };
  const source =
    (facts.source ?? "aws") === "aws"
      ? opts.aws.endpointUrl
        ? `AWS API at ${redactUrl(opts.aws.endpointUrl)}`
        : "AWS"
      : `${facts.source} ${opts.staticPath}`;
  return {
    config: t.label,
    account: t.config.accountId,
    region: t.config.region,
    partition: partition(t.config),
    source,
    kind: opts.staticPath === undefined ? "live" : "static",
    exitCode: exitCodeFor(results, policy),
    results,
    policy,
    durationMs: performance.now() - started,
  };
}

/** Verifies every target: the reports, and the exit code (0 ok, 1 a FAIL or ERROR anywhere). */
export async function runVerify(
  targets: readonly ConfigTarget[],
  opts: VerifyRunOptions,
): Promise<{ reports: ConfigReport[]; exitCode: number }> {
  const single = targets.length === 1;

  let done = 0;
  const work = (async () => {
    // Credentials are checked once, up front: none at all is one line (exit 2), not an error per read.
    // Without --assume-role-arn every config runs as that identity: it is not asked again.
    let identity: VerifyOptions["identity"];
    if (opts.staticPath === undefined && targets.length > 0) {
      try {
        identity = await preflightIdentity(opts.aws.region ?? targets[0]!.config.region, opts.aws);
      } catch (e) {
        throw e instanceof CredentialsMissing ? usageError(e.message) : e;
      }
    }
    const each = opts.assumeRoleArn || !identity ? opts : { ...opts, identity };
    return mapBounded(targets, opts.concurrency ?? 8, async (t) => {
      const r = await verifyOne(t, each, single);
      if (!single) opts.onConfigDone?.(++done, targets.length);
      return r;
    });
  })();
  // A deadline for the whole run: whatever still waits on the network then, the run ends.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new RunDeadline(
            `verify did not finish within ${Math.round((opts.deadlineMs ?? DEFAULT_DEADLINE_MS) / 1000)} s (--deadline): stopped, nothing decided is reported as passed`,
          ),
        ),
      opts.deadlineMs ?? DEFAULT_DEADLINE_MS,
    );
    timer.unref();
  });
  let reports: ConfigReport[];
  try {
    reports = await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
  return { reports, exitCode: Math.max(0, ...reports.map((r) => r.exitCode)) };
}
