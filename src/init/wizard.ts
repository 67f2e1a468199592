/**
 * The onboarding wizard: asks each step (flags and --yes answer first),
 * validates the whole config, then shows a review screen where any answer
 * can be changed before anything is written.
 */
import { ConfigError, type ConfigIssue, formatIssue, parseConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { objectLockConsequences } from "../handoff/object-lock.js";
import { EXIT, ExitError, usageError } from "../util/errors.js";
import { outputWidth, wrap } from "../util/wrap.js";
import type { Draft, Prompts, WizardContext } from "./context.js";
import { STEPS, type Step } from "./steps/index.js";
import type { TrailChoice } from "./trails.js";

export interface WizardOptions {
  draft: Draft;
  fixed: ReadonlySet<string>;
  yes: boolean;
  interactive: boolean;
  prompts: Prompts;
  callerAccount: () => Promise<string | undefined>;
  accountTrails?: () => Promise<TrailChoice[] | undefined>;
  accountBuckets?: () => Promise<string[] | undefined>;
  /** Where review text goes (stderr by default, so stdout stays clean). */
  write?: (text: string) => void;
}

/** The "Which answer?" list's way back, a value no step has. */
const BACK = "(back)";

export interface WizardResult {
  draft: Draft;
  config: Config;
  warnings: ConfigIssue[];
}

/** The review screen, each value wrapped under itself to the terminal's width (never mid-word). */
export function reviewText(
  draft: Draft,
  steps: readonly Step[] = STEPS,
  columns = outputWidth(process.stderr),
): string {
  const lines = steps.flatMap((s) => s.summary(draft));
  const width = Math.max(...lines.map(([k]) => k.length)) + 2;
  const hang = " ".repeat(2 + width);
  return ["", "Review", ...lines.flatMap(([k, v]) => wrap(v, columns, `  ${k.padEnd(width)}`, hang)), ""].join("\n");
}

function missingError(missing: WizardContext["missing"]): ExitError {
  const required = missing.filter((m) => !m.hasDefault).map((m) => m.flag);
  const defaulted = missing.filter((m) => m.hasDefault).length;
  const parts = [];
  if (required.length > 0) parts.push(`pass ${required.join(", ")}`);
  if (defaulted > 0)
    parts.push(
      `${required.length > 0 ? "and " : "pass "}--yes to accept the defaults for the other ${defaulted} questions (or answer them with flags, see --help)`,
    );
  return usageError(`no terminal to ask in: ${parts.join(" ")}. Nothing was written.`);
}

export async function runWizard(opts: WizardOptions): Promise<WizardResult> {
  const write = opts.write ?? ((t: string) => process.stderr.write(t));
  let account: Promise<string | undefined> | undefined;
  let trails: Promise<TrailChoice[] | undefined> | undefined;
  let buckets: Promise<string[] | undefined> | undefined;
  const ctx: WizardContext = {
    draft: opts.draft,
    prompts: opts.prompts,
    fixed: opts.fixed,
    yes: opts.yes,
    interactive: opts.interactive,
    force: false,
    callerAccount: () => (account ??= opts.callerAccount()),
    accountTrails: () => (trails ??= opts.accountTrails?.() ?? Promise.resolve(undefined)),
    accountBuckets: () => (buckets ??= opts.accountBuckets?.() ?? Promise.resolve(undefined)),
    missing: [],
  };

  for (const step of STEPS) await step.run(ctx);
  if (ctx.missing.some((m) => !m.hasDefault) || (ctx.missing.length > 0 && !opts.yes)) throw missingError(ctx.missing);

  for (;;) {
    let parsed: { config: Config; warnings: ConfigIssue[] } | undefined;
    let problems: ConfigIssue[] = [];
    try {
      parsed = parseConfig(ctx.draft);
    } catch (e) {
      if (!(e instanceof ConfigError) || !opts.interactive || opts.yes) throw e;
      problems = e.issues;
    }
    if (!opts.interactive || opts.yes) return { draft: ctx.draft, ...parsed! };

    write(reviewText(ctx.draft));
    // What Object Lock cannot undo, said before anything is written.
    const lock = parsed && objectLockConsequences(parsed.config);
    if (lock)
      write(
        `${lock.flatMap((l, i) => wrap(l, outputWidth(process.stderr), i === 0 ? "! " : "  ", "  ")).join("\n")}\n\n`,
      );
    for (const issue of [...problems, ...(parsed?.warnings ?? [])]) write(`${formatIssue(issue)}\n`);
    const choice = await opts.prompts.select<"write" | "change" | "cancel">({
      message:
        problems.length > 0 ? "Fix the answers above before writing" : "Write the config and generate Terraform?",
      choices: [
        ...(problems.length === 0 ? [{ name: "Yes, write it", value: "write" as const }] : []),
        { name: "Change an answer", value: "change" as const },
        { name: "Cancel (nothing is written)", value: "cancel" as const },
      ],
    });
    if (choice === "write" && parsed) return { draft: ctx.draft, ...parsed };
    if (choice === "cancel") throw new ExitError(EXIT.cancelled, "Cancelled; nothing was written.");
    const stepId = await opts.prompts.select({
      message: "Which answer?",
      choices: [
        ...STEPS.map((s) => ({ name: s.label, value: s.id })),
        { name: "Back to the review (change nothing)", value: BACK },
      ],
      pageSize: STEPS.length + 1,
    });
    if (stepId === BACK) continue;
    const step = STEPS.find((s) => s.id === stepId)!;
    await step.run({ ...ctx, force: true });
  }
}
