/**
 * What every wizard step shares: the draft config, the prompts, and one rule
 * for where an answer comes from: a flag first, then --yes with a default,
 * then the prompt; without a terminal a missing answer is recorded, so the
 * wizard can name every flag to pass at once.
 */
import { type ConfigFlagKey, flagName } from "../config/flags.js";
import { errorsOf, type Problem } from "../config/rules.js";
import type { ConfigInput } from "../config/schema.js";
import type { TrailChoice } from "./trails.js";

/** The subset of @inquirer/prompts the wizard uses (injectable for tests). */
export interface Prompts {
  input(config: {
    message: string;
    default?: string;
    validate?: (v: string) => boolean | string;
    transformer?: (v: string) => string;
  }): Promise<string>;
  select<T>(config: {
    message: string;
    choices: Array<{ name: string; value: T; description?: string }>;
    default?: T;
    pageSize?: number;
  }): Promise<T>;
  checkbox<T>(config: {
    message: string;
    choices: Array<{ name: string; value: T; checked?: boolean; description?: string }>;
    validate?: (items: readonly { value: T }[]) => boolean | string;
  }): Promise<T[]>;
  confirm(config: { message: string; default?: boolean }): Promise<boolean>;
}

export type Draft = Partial<ConfigInput> & Record<string, unknown>;

export interface WizardContext {
  draft: Draft;
  prompts: Prompts;
  /** Config keys set by flags: their questions are never asked. */
  fixed: ReadonlySet<string>;
  yes: boolean;
  interactive: boolean;
  /** Asking again from the review screen: ignore flags and --yes for this step. */
  force: boolean;
  /** Account from STS, resolved lazily (a short, bounded lookup). */
  callerAccount: () => Promise<string | undefined>;
  /** The account's trails with what each lacks; undefined without credentials (a bounded lookup). */
  accountTrails: () => Promise<TrailChoice[] | undefined>;
  /** The account's bucket names; undefined without credentials (a bounded lookup). */
  accountBuckets: () => Promise<string[] | undefined>;
  /** Flags a non-interactive run still needs: [flag, has a default]. */
  missing: Array<{ flag: string; hasDefault: boolean }>;
}

export interface AnswerSpec<T> {
  /** The flag (as in `fixed`) whose value answers this question. */
  key: ConfigFlagKey;
  /** How to name the flag in "pass ..." messages (default: the flag itself). */
  flag?: string;
  default?: T;
  ask: (defaultValue: T | undefined) => Promise<T>;
}

/** Returns the answer, or `undefined` when a flag already fixed the value. */
export async function answer<T>(ctx: WizardContext, spec: AnswerSpec<T>): Promise<T | undefined> {
  if (!ctx.force && ctx.fixed.has(spec.key)) return undefined;
  if (!ctx.force && ctx.yes && spec.default !== undefined) return spec.default;
  if (!ctx.interactive) {
    ctx.missing.push({ flag: spec.flag ?? flagName(spec.key), hasDefault: spec.default !== undefined });
    return spec.default;
  }
  return spec.ask(spec.default);
}

/** Inquirer `validate` from a rule function: the first broken rule is the message. */
export const validateWith =
  (check: (v: string) => Problem[]) =>
  (value: string): true | string =>
    errorsOf(check(value.trim()))[0]?.rule ?? true;
