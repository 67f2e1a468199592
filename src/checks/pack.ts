/**
 * What a check pack is in this tool: the engine's rules and collector, plus
 * everything the rest of `verify` needs to know about the pack, declared in
 * the pack's own folder: the flags that turn it on and their parsing, the IAM
 * permissions its collector needs (for --print-iam-policy and the auditor
 * role), and where its results point in a report. The runner, rule selection,
 * reports and the CLI loop over the registry (checks/index.ts) and never name
 * a pack.
 */
import type { AwsOptions, Clients } from "../aws/clients.js";
import type { Config } from "../config/schema.js";
import type { Location, Result } from "../engine/evaluate.js";
import type { CheckPack } from "../engine/pack.js";
import type { BaseFacts } from "../engine/rule.js";
import type { Statement } from "../iam/policies/types.js";
import type { FlagSpec } from "../util/flag-spec.js";

/** Facts every pack's rules read: the tool's config they were collected for. */
export interface PackFacts extends BaseFacts {
  config: Config;
}

/**
 * What one `verify` run was asked to do. Each pack's own options sit under
 * its id (`delivery: { maxAgeHours }`); a pack whose options are absent is off.
 */
export interface RunOptions {
  aws: AwsOptions;
  /** A stack directory, cdk.tf.json or plan JSON: verify before deploy. */
  staticPath?: string;
  readonly [packId: string]: unknown;
}

export interface CollectContext {
  config: Config;
  options: RunOptions;
  /** Who the credentials are, when the run already asked STS (asked once, not once a pack). */
  identity?: { account: string; arn: string };
  /** The run's SDK clients, created on first use and shared by every pack. */
  clients(): Promise<Clients>;
  /** Progress for long steps (a terminal only). */
  progress(done: number, total: number, what: string): void;
}

/** Which packs a policy is for, by id (`{ delivery: true }`), and whether Access Analyzer is called. */
export type PolicySwitches = Readonly<Record<string, boolean | undefined>> & { analyzer?: boolean };

/** A statement of the verifier's policy: the SDK operations a pack's collector sends, on what. */
export interface PermissionNeed {
  sid: string;
  /** SDK operations (`S3.GetObject`), or an IAM action another service calls for the reader (`kms:Decrypt`). */
  operations: readonly string[];
  /** Whether a run with these switches sends them for this config. @default always */
  when?: (cfg: Config, on: PolicySwitches) => boolean;
  resources: (cfg: Config, on: PolicySwitches) => string[];
  /** For the docs: what the resources are, and why. */
  on: string;
  why: string;
  condition?: (cfg: Config) => Statement["Condition"];
}

/** The flag values `verify` parsed, by flag key, and the moment the run started. */
export interface FlagInput {
  values: Readonly<Record<string, unknown>>;
  now: Date;
  staticPath?: string;
}

export interface Pack<O = unknown, F extends PackFacts = PackFacts> extends CheckPack<CollectContext, O, F> {
  /** The verify flag that turns the pack on (undefined: always on). */
  switchFlag?: string;
  /** verify flags the pack adds (its switch first). */
  flags?: readonly FlagSpec[];
  /** The pack's options from the parsed flags; undefined when the pack is off. Throws usage errors. */
  options?(input: FlagInput): O | undefined;
  /** The IAM permissions its collector needs. */
  permissions?: readonly PermissionNeed[];
  /** The config fields a live result follows from, by rule area (where SARIF points on a live run). */
  configFields?: Readonly<Record<string, readonly string[]>>;
  /**
   * Reads the user's inputs before anything is collected (the --static file). Its errors are the
   * user's input problem (exit 2), never a check result.
   */
  prepare?(ctx: CollectContext, facts: F): Promise<void>;
  /**
   * Facts that decide whether the rest of the run may read anything (the credentials' account):
   * a reason stops every other pack, whose rules are SKIPPED with it; this pack's rules still run.
   */
  gate?(facts: F): string | undefined;
  /** Loads what its rules need beyond the facts (the IAM action catalog for the policies read). */
  beforeRules?(facts: F): Promise<void>;
  /** Where a static run's results point (the Terraform resource's line); undefined on a live run. */
  locator?(facts: F): ((r: Result) => Location) | undefined;
}

/** Whether the run asked for this pack. */
export const packEnabled = (pack: Pack<unknown, never>, options: RunOptions): boolean =>
  pack.switchFlag === undefined || options[pack.id] !== undefined;

/** Declares a pack with its own option and fact types; the registry holds them over the whole. */
export const definePack = <O, F extends PackFacts>(pack: Pack<O, F>): Pack<O, F> => pack;
