/**
 * `verify`: the compliance check, against AWS or (with --static) Terraform
 * before deploy. Parses the flags of verify's table (verify/flags.ts), asks
 * each pack for its options, runs, then renders and writes the reports.
 */

import { existsSync } from "node:fs";
import { ALL_RULES, PACKS, type RunOptions } from "../../checks/index.js";
import { parseSuppression } from "../../config/flags.js";
import { SuppressionSchema } from "../../config/schema.js";
import { type OutputFormat, renderReports } from "../../engine/report/index.js";
import type { Severity } from "../../engine/rule.js";
import { checkWritable, writeFileAtomically } from "../../util/atomic-write.js";
import { durationFlag } from "../../util/duration.js";
import { EXIT, ExitError, usageError } from "../../util/errors.js";
import { printable } from "../../util/printable.js";
import { holdSecret, redactSecrets } from "../../util/secrets.js";
import { colourEnabled } from "../../util/style.js";
import { OUTPUT_FORMATS } from "../../verify/flags.js";
import { listRules } from "../../verify/list-rules.js";
import { CATALOG, RunDeadline, runVerify } from "../../verify/run-many.js";
import { selectorList, selectRules } from "../../verify/select-rules.js";
import { resolveConfigs } from "../resolve-config.js";

/** The parsed flags, by key (commander's camelCase of each row of VERIFY_FLAGS). */
export type VerifyFlagValues = Readonly<Record<string, unknown>>;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const strs = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

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

/** `--report sarif=verify.sarif`: a format and the file it goes to; each file once. */
function parseReports(values: readonly string[] = []): Array<{ format: OutputFormat; file: string }> {
  const seen = new Set<string>();
  return values.map((v) => {
    const m = /^([a-z]+)=(.+)$/.exec(v);
    if (!m || !(OUTPUT_FORMATS as readonly string[]).includes(m[1]!))
      throw usageError(`--report ${JSON.stringify(v)}: FORMAT=FILE, with FORMAT one of ${OUTPUT_FORMATS.join(", ")}`);
    if (seen.has(m[2]!)) throw usageError(`--report: ${m[2]} is named twice`);
    seen.add(m[2]!);
    return { format: m[1] as OutputFormat, file: m[2]! };
  });
}

/** The AWS client region: --aws-region, or --region (its old spelling) with a warning. */
function awsRegion(values: VerifyFlagValues): string | undefined {
  const old = str(values.region);
  if (old !== undefined) {
    process.stderr.write(
      "cloudsmith-log-export: warning: verify --region is now --aws-region (on synth and init, --region is the config's region); the old spelling goes in the next release\n",
    );
    if (str(values.awsRegion) !== undefined && str(values.awsRegion) !== old)
      throw usageError("--region and --aws-region disagree: pass --aws-region only");
  }
  return str(values.awsRegion) ?? old;
}

/** Progress on stderr, for text output on a terminal only: a status line redrawn in place. */
function terminalProgress(text: boolean): Pick<Parameters<typeof runVerify>[1], "progress" | "onConfigDone"> {
  if (!text || process.stderr.isTTY !== true) return {};
  const line = (s: string | undefined) => process.stderr.write(`\r\u001b[2K${s ?? ""}`);
  return {
    progress: line,
    onConfigDone: (done, total) => line(done < total ? `Verified ${done}/${total} configs` : undefined),
  };
}

export async function runVerifyCommand(values: VerifyFlagValues): Promise<number> {
  const output = (str(values.output) ?? "text") as OutputFormat;
  if (values.listRules) {
    // The rule list is text or JSON; a report format would be silently wrong.
    if (output !== "text" && output !== "json")
      throw usageError(`--list-rules prints text or json, not ${output} (${output} is for results)`);
    process.stdout.write(listRules(output));
    return 0;
  }
  const extra = parseSuppressions(strs(values.suppress));
  const targets = (await resolveConfigs(strs(values.config) ?? [], { example: values.example === true })).map((t) =>
    extra.length === 0 ? t : { ...t, config: { ...t.config, suppressions: [...t.config.suppressions, ...extra] } },
  );
  // A suppression that names no rule (a typo, a rule since removed) silences nothing: say so.
  const known = new Set(ALL_RULES.flatMap((r) => [r.id, ...(r.replaces ?? [])]));
  for (const t of targets)
    for (const s of t.config.suppressions)
      if (!known.has(s.rule))
        throw usageError(`${t.label}: suppressions: no rule '${s.rule}' (verify --list-rules names them all)`);
  const staticPath = values.static === true ? "cdktf.out" : str(values.static);
  const endpointUrl = str(values.endpointUrl);
  // Credentials in the endpoint URL (a proxy's) are never shown, wherever an error might echo them.
  if (endpointUrl && URL.canParse(endpointUrl)) {
    const u = new URL(endpointUrl);
    holdSecret(decodeURIComponent(u.password));
    if (u.password) holdSecret(`${u.username}:${u.password}`);
  }
  const now = new Date();
  // Each pack reads its own flags; a pack whose options are undefined is off.
  const packOptions: Record<string, unknown> = {};
  for (const pack of PACKS) {
    const o = pack.options?.({ values, now, staticPath });
    if (o !== undefined) packOptions[pack.id] = o;
  }
  if (values.printIamPolicy) {
    if (staticPath !== undefined) throw usageError("--static reads files only: it needs no AWS permission");
    const { printIamPolicy } = await import("../../verify/print-iam-policy.js");
    const on: Record<string, boolean> = {
      analyzer: endpointUrl === undefined,
      securityhub: values.securityhub === true,
    };
    for (const [id, o] of Object.entries(packOptions)) {
      on[id] = true;
      // A pack may add switches of its own to the policy (the query pack's --athena-engine).
      Object.assign(on, (o as { switches?: Record<string, boolean> } | undefined)?.switches ?? {});
    }
    const printed = printIamPolicy(
      targets.map((t) => t.config),
      on,
      str(values.assumeRoleArn),
    );
    for (const n of printed.notes) process.stderr.write(`note: ${n}\n`);
    process.stdout.write(printed.policy);
    return 0;
  }
  if (staticPath !== undefined && !existsSync(staticPath))
    throw usageError(
      `--static ${staticPath}: no such file or folder (run \`synth\` first, or give the plan: terraform show -json tfplan > plan.json)`,
    );
  const awsTimeoutMs = values.awsTimeout === undefined ? undefined : Number(values.awsTimeout) * 1000;
  if (awsTimeoutMs !== undefined && !(Number.isFinite(awsTimeoutMs) && awsTimeoutMs >= 1000 && awsTimeoutMs <= 600_000))
    throw usageError("--aws-timeout takes 1-600 (seconds)");
  const deadlineMs = values.deadline === undefined ? undefined : durationFlag("--deadline", String(values.deadline));
  const concurrency = Number(values.concurrency ?? "8");
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw usageError("--concurrency takes 1-64");
  const assumeRoleArn = str(values.assumeRoleArn);
  if (assumeRoleArn !== undefined && !/^arn:aws[a-z-]*:iam::(\{accountId\}|\d{12}):role\/.+$/.test(assumeRoleArn)) {
    throw usageError(
      `--assume-role-arn "${assumeRoleArn}": a role ARN, e.g. arn:aws:iam::{accountId}:role/SecurityAudit`,
    );
  }
  const reports = parseReports(strs(values.report));
  const outputFile = str(values.outputFile);
  if (outputFile !== undefined && reports.some((r) => r.file === outputFile))
    throw usageError(`--report: ${outputFile} is also --output-file`);
  // Before any AWS call: a report that could not be written would throw the whole run away.
  for (const file of [...reports.map((r) => r.file), ...(outputFile ? [outputFile] : [])]) await checkWritable(file);
  const region = awsRegion(values);
  const runOptions: RunOptions = {
    ...packOptions,
    aws: {
      profile: str(values.profile),
      region,
      endpointUrl,
      ...(awsTimeoutMs !== undefined ? { requestTimeoutMs: awsTimeoutMs } : {}),
    },
    staticPath,
  };
  const ruleIds = selectRules(selectorList(strs(values.rule)), selectorList(strs(values.skipRule)), runOptions);
  let result: Awaited<ReturnType<typeof runVerify>>;
  try {
    result = await runVerify(targets, {
      ...runOptions,
      ruleIds,
      severityThreshold: str(values.severityThreshold) as Severity | undefined,
      assumeRoleArn,
      concurrency,
      ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      allowErrors: values.allowErrors === true,
      ...terminalProgress(output === "text"),
    });
  } catch (e) {
    if (e instanceof RunDeadline) {
      // Reads still waiting on the network would keep the process alive: leave once the message is out.
      setTimeout(() => process.exit(EXIT.checksFailed), 200).unref();
      throw new ExitError(EXIT.checksFailed, e.message);
    }
    throw e;
  }
  const colour = colourEnabled();
  const quiet = values.quiet === true;
  const adviceAsAlerts = values.adviceAsAlerts === true;
  // Every report, on screen or in a file, passes the one redaction: a secret a server echoed in
  // an error (the API key) never reaches a terminal or a CI artifact.
  const render = (...args: Parameters<typeof renderReports>) => redactSecrets(renderReports(...args));
  // --report FORMAT=FILE: each format to its own file, from the one run (CI wants SARIF and JUnit both).
  for (const r of reports)
    await writeFileAtomically(r.file, render(result.reports, r.format, CATALOG, { adviceAsAlerts }));
  if (outputFile) {
    await writeFileAtomically(outputFile, render(result.reports, output, CATALOG, { adviceAsAlerts }));
    process.stdout.write(render(result.reports, "text", CATALOG, { colour, quiet }));
  } else {
    process.stdout.write(render(result.reports, output, CATALOG, { colour, quiet, adviceAsAlerts }));
  }
  if (values.securityhub === true) {
    const { asffFindings } = await import("../../engine/report/asff.js");
    const { importFindings } = await import("../../verify/securityhub.js");
    const { ruleDocsUrl } = await import("../../util/package-root.js");
    const findings = asffFindings(result.reports, CATALOG.rules, { now: new Date(), ruleUrl: ruleDocsUrl });
    try {
      const done = await importFindings(findings, runOptions.aws);
      process.stderr.write(`Security Hub: ${done.imported} finding(s) imported\n`);
      for (const f of done.failed.slice(0, 5))
        process.stderr.write(
          `error: Security Hub refused finding ${printable(f.id, 120)}: ${printable(f.message, 300)}\n`,
        );
      if (done.failed.length > 0) return Math.max(result.exitCode, EXIT.checksFailed);
    } catch (e) {
      const { describeError } = await import("../../aws/describe-error.js");
      process.stderr.write(`error: Security Hub import failed: ${printable(describeError(e), 400)}\n`);
      return Math.max(result.exitCode, EXIT.checksFailed);
    }
  }
  return result.exitCode;
}
