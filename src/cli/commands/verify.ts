/** `verify`: the compliance check, against AWS or (with --static) Terraform before deploy. */

import { existsSync } from "node:fs";
import { ALL_RULES } from "../../checks/index.js";
import { parseSuppression } from "../../config/flags.js";
import { SuppressionSchema } from "../../config/schema.js";
import type { OutputFormat } from "../../engine/report/index.js";
import { parseDuration } from "../../util/duration.js";
import { EXIT, ExitError, usageError } from "../../util/errors.js";
import { listRules } from "../../verify/list-rules.js";
import { RunDeadline, runVerify } from "../../verify/run-many.js";
import { selectorList, selectRules } from "../../verify/select-rules.js";
import { resolveConfigs } from "../resolve-config.js";

function duration(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (e) {
    throw usageError(`${flag}: ${(e as Error).message}`);
  }
}

export interface VerifyCommandOptions {
  /** Config files or directories of them (repeatable). */
  config?: string[];
  example?: boolean;
  assumeRoleArn?: string;
  concurrency: string;
  profile?: string;
  region?: string;
  endpointUrl?: string;
  awsTimeout?: string;
  deadline?: string;
  static?: string | boolean;
  output: OutputFormat;
  outputFile?: string;
  allowErrors?: boolean;
  listRules?: boolean;
  delivery?: boolean;
  maxAge: string;
  integrity?: boolean;
  cloudsmithApiUrl?: string;
  since: string;
  cloudsmithOrg?: string;
  rule?: string[];
  skipRule?: string[];
  severityThreshold?: "low" | "medium" | "high" | "critical";
  quiet?: boolean;
  printIamPolicy?: boolean;
  report?: string[];
  suppress?: string[];
}

/**
 * --suppress rule=reason for this run: the same rule as in the config (a known rule, a reason of
 * at least 10 printable characters), added to every config's suppressions.
 */
function parseSuppressions(values: readonly string[] = []): Array<{ rule: string; reason: string }> {
  return values.map((v) => {
    const s = parseSuppression(v);
    const checked = SuppressionSchema.safeParse(s);
    if (!checked.success) throw usageError(`--suppress ${s.rule}: ${checked.error.issues[0]?.message ?? "invalid"}`);
    if (!ALL_RULES.some((r) => r.id === s.rule || r.replaces?.includes(s.rule)))
      throw usageError(`--suppress ${s.rule}: no rule has that id (see verify --list-rules)`);
    return checked.data;
  });
}

const REPORT_FORMATS: readonly OutputFormat[] = ["text", "json", "junit", "sarif", "codequality"];

/** `--report sarif=verify.sarif`: a format and the file it goes to; each file once. */
function parseReports(values: readonly string[] = []): Array<{ format: OutputFormat; file: string }> {
  const seen = new Set<string>();
  return values.map((v) => {
    const m = /^([a-z]+)=(.+)$/.exec(v);
    if (!m || !REPORT_FORMATS.includes(m[1] as OutputFormat))
      throw usageError(`--report ${JSON.stringify(v)}: FORMAT=FILE, with FORMAT one of ${REPORT_FORMATS.join(", ")}`);
    if (seen.has(m[2]!)) throw usageError(`--report: ${m[2]} is named twice`);
    seen.add(m[2]!);
    return { format: m[1] as OutputFormat, file: m[2]! };
  });
}

export async function runVerifyCommand(opts: VerifyCommandOptions): Promise<number> {
  if (opts.listRules) {
    // The rule list is text or JSON; a report format would be silently wrong.
    if (opts.output !== "text" && opts.output !== "json")
      throw usageError(`--list-rules prints text or json, not ${opts.output} (${opts.output} is for results)`);
    process.stdout.write(listRules(opts.output));
    return 0;
  }
  const extra = parseSuppressions(opts.suppress);
  const targets = (await resolveConfigs(opts.config ?? [], { example: opts.example })).map((t) =>
    extra.length === 0 ? t : { ...t, config: { ...t.config, suppressions: [...t.config.suppressions, ...extra] } },
  );
  const staticPath = opts.static === true ? "cdktf.out" : opts.static === false ? undefined : opts.static;
  if (opts.printIamPolicy) {
    if (staticPath !== undefined) throw usageError("--static reads files only: it needs no AWS permission");
    const { printIamPolicy } = await import("../../verify/print-iam-policy.js");
    process.stdout.write(
      printIamPolicy(
        targets.map((t) => t.config),
        { delivery: opts.delivery, integrity: opts.integrity, analyzer: opts.endpointUrl === undefined },
        opts.assumeRoleArn,
      ),
    );
    return 0;
  }
  if (staticPath !== undefined && !existsSync(staticPath))
    throw usageError(
      `--static ${staticPath}: no such file or folder (run \`synth\` first, or give the plan: terraform show -json tfplan > plan.json)`,
    );
  if (staticPath !== undefined && (opts.delivery || opts.integrity))
    throw usageError("--delivery and --integrity read the deployed bucket; they do not combine with --static");
  const maxAgeMs = duration("--max-age", opts.maxAge);
  const sinceMs = duration("--since", opts.since);
  const awsTimeoutMs = opts.awsTimeout === undefined ? undefined : Number(opts.awsTimeout) * 1000;
  if (awsTimeoutMs !== undefined && !(Number.isFinite(awsTimeoutMs) && awsTimeoutMs >= 1000 && awsTimeoutMs <= 600_000))
    throw usageError("--aws-timeout takes 1-600 (seconds)");
  const deadlineMs = opts.deadline === undefined ? undefined : duration("--deadline", opts.deadline);
  const concurrency = Number(opts.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw usageError("--concurrency takes 1-64");
  if (
    opts.assumeRoleArn !== undefined &&
    !/^arn:aws[a-z-]*:iam::(\{accountId\}|\d{12}):role\/.+$/.test(opts.assumeRoleArn)
  ) {
    throw usageError(
      `--assume-role-arn "${opts.assumeRoleArn}": a role ARN, e.g. arn:aws:iam::{accountId}:role/SecurityAudit`,
    );
  }
  const packOptions = {
    aws: {},
    staticPath,
    delivery: opts.delivery ? { maxAgeHours: 0 } : undefined,
    integrity: opts.integrity ? { since: new Date(0) } : undefined,
    cloudsmith: opts.cloudsmithOrg ? { org: opts.cloudsmithOrg } : undefined,
  };
  const reports = parseReports(opts.report);
  if (opts.outputFile !== undefined && reports.some((r) => r.file === opts.outputFile))
    throw usageError(`--report: ${opts.outputFile} is also --output-file`);
  const ruleIds = selectRules(selectorList(opts.rule), selectorList(opts.skipRule), packOptions);
  try {
    return await runVerify(targets, {
      ruleIds,
      reports,
      severityThreshold: opts.severityThreshold,
      quiet: opts.quiet,
      assumeRoleArn: opts.assumeRoleArn,
      concurrency,
      ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      aws: {
        profile: opts.profile,
        region: opts.region,
        endpointUrl: opts.endpointUrl,
        ...(awsTimeoutMs !== undefined ? { requestTimeoutMs: awsTimeoutMs } : {}),
      },
      staticPath,
      output: opts.output,
      outputFile: opts.outputFile,
      allowErrors: opts.allowErrors,
      delivery: opts.delivery ? { maxAgeHours: maxAgeMs / 3_600_000 } : undefined,
      integrity: opts.integrity ? { since: new Date(Date.now() - sinceMs) } : undefined,
      cloudsmith: opts.cloudsmithOrg
        ? {
            org: opts.cloudsmithOrg,
            apiKey: process.env.CLOUDSMITH_API_KEY,
            baseUrl: opts.cloudsmithApiUrl ?? process.env.CLOUDSMITH_API_URL,
          }
        : undefined,
    });
  } catch (e) {
    if (e instanceof RunDeadline) {
      // Reads still waiting on the network would keep the process alive: leave once the message is out.
      setTimeout(() => process.exit(EXIT.checksFailed), 200).unref();
      throw new ExitError(EXIT.checksFailed, e.message);
    }
    throw e;
  }
}
