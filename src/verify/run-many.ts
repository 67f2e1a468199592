/**
 * verify over one or many configs (a central security account checking every
 * member account): bounded concurrency, an optional role assumed per account,
 * results grouped per config, and the exit code of the worst.
 */
import type { Config } from "../config/schema.js";
import { colourEnabled } from "../util/style.js";
import { writeFileAtomically as writeAtomically } from "../util/atomic-write.js";
import { cjs } from "../util/cjs.js";
import { exitCodeFor } from "../engine/evaluate.js";
import { failed, type Facts } from "../checks/config/facts.js";
import { renderReports, type ConfigReport, type OutputFormat } from "../engine/report/index.js";
import { collectFacts, verifyFacts, type VerifyOptions } from "./run-one.js";

export interface ConfigTarget {
  label: string;
  config: Config;
}

export interface VerifyRunOptions extends VerifyOptions {
  output: OutputFormat;
  outputFile?: string;
  allowErrors?: boolean;
  /** Role to assume in each config's account; `{accountId}` is replaced. */
  assumeRoleArn?: string;
  /** How many configs are verified at once. @default 8 */
  concurrency?: number;
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of the results. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function assumeRole(template: string, cfg: Config, opts: VerifyOptions) {
  const RoleArn = template.replace(/\{accountId\}/g, cfg.accountId);
  const { STSClient, AssumeRoleCommand } = cjs(await import("@aws-sdk/client-sts"));
  const sts = new STSClient({ region: opts.aws.region ?? cfg.region, profile: opts.aws.profile, endpoint: opts.aws.endpointUrl, credentials: opts.aws.credentials });
  try {
    const res = await sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: "cloudsmith-log-export-verify", DurationSeconds: 900 }));
    const c = res.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
  } catch (e) {
    throw new Error(`could not assume ${RoleArn}: ${(e as Error).name}: ${(e as Error).message}`);
  }
}

/** When a config cannot be read at all, every fact is that error: its rules are ERROR, never PASS. */
function unreadable(cfg: Config, detail: string): Facts {
  const f = failed<never>(detail);
  const bucket = (name: string) => ({ name, exists: f, publicAccessBlock: f, ownership: f, policy: f, requestPayer: f, encryption: f });
  const b = bucket(cfg.bucket.name);
  return {
    source: "aws",
    config: cfg,
    identity: f,
    role: f,
    rolePolicies: f,
    permissionsBoundary: f,
    exportBucket: b,
    trailBucket: b,
    trail: f,
    trailStatus: f,
    trailDeliveryError: f,
    eventSelectors: f,
    kmsKeyPolicy: f,
    kmsGrants: f,
    analyzerFindings: f,
    analyzerNoNewAccess: f,
  };
}

async function verifyOne(t: ConfigTarget, opts: VerifyRunOptions, single: boolean): Promise<ConfigReport> {
  let facts: Facts;
  try {
    const aws = opts.assumeRoleArn && opts.staticPath === undefined ? { ...opts.aws, credentials: await assumeRole(opts.assumeRoleArn, t.config, opts) } : opts.aws;
    facts = await collectFacts(t.config, { ...opts, aws, progress: single && (opts.progress ?? opts.output === "text") });
  } catch (e) {
    if (opts.staticPath !== undefined) throw e;
    facts = unreadable(t.config, (e as Error).message);
  }
  const results = await verifyFacts(facts);
  const source = facts.source === "aws" ? (opts.aws.endpointUrl ? `AWS API at ${opts.aws.endpointUrl}` : "AWS") : `${facts.source} ${opts.staticPath}`;
  return { config: t.label, source, exitCode: exitCodeFor(results, { allowErrors: opts.allowErrors }), results };
}

/** Verifies every target and prints the report; returns the exit code (0 ok, 1 a FAIL or ERROR anywhere). */
export async function runVerify(targets: readonly ConfigTarget[], opts: VerifyRunOptions): Promise<number> {
  const single = targets.length === 1;
  let done = 0;
  const showCount = !single && opts.output === "text" && process.stderr.isTTY;
  const reports = await mapBounded(targets, opts.concurrency ?? 8, async (t) => {
    const r = await verifyOne(t, opts, single);
    if (showCount) process.stderr.write(`\rVerified ${++done}/${targets.length} configs`);
    return r;
  });
  if (showCount) process.stderr.write("\r\u001b[2K");
  const colour = colourEnabled();
  if (opts.outputFile) {
    await writeAtomically(opts.outputFile, renderReports(reports, opts.output));
    process.stdout.write(renderReports(reports, "text", { colour }));
  } else {
    process.stdout.write(renderReports(reports, opts.output, { colour }));
  }
  return Math.max(0, ...reports.map((r) => r.exitCode));
}
