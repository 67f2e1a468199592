/**
 * The check packs, in report order: the only file that names them. Adding a
 * pack is a folder under checks/ and one line here: the runner, rule
 * selection, `--list-rules`, the reports, `--print-iam-policy`, the rule docs
 * and verify's flags all read this registry.
 */

import type { Rule } from "../engine/rule.js";
import { cloudsmithPack } from "./cloudsmith/pack.js";
import { deliveryPack } from "./delivery/pack.js";
import { deploymentPack } from "./deployment/pack.js";
import { identityPack } from "./identity/pack.js";
import { integrityPack } from "./integrity/pack.js";
import { type Pack, type PackFacts, packEnabled, type RunOptions } from "./pack.js";
import { queryPack } from "./query/pack.js";
import { siemPack } from "./siem/pack.js";

// The registry: one line a pack, in report order.
const REGISTRY = [
  identityPack,
  deploymentPack,
  deliveryPack,
  integrityPack,
  cloudsmithPack,
  queryPack,
  siemPack,
] as const;

type FactsOf<P> = P extends { fail(facts: infer F, detail: string): void } ? F : never;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every pack's facts in one object: what one `verify` run of one config collected. */
export type Facts = PackFacts & Intersection<FactsOf<(typeof REGISTRY)[number]>>;

export type AnyPack = Pack<unknown, Facts>;

// Each pack reads only its own part of Facts; the registry sees them all over the whole.
export const PACKS: readonly AnyPack[] = REGISTRY as unknown as readonly AnyPack[];

/**
 * Every rule, in report order: the rules of the packs that always run read as one list sorted by
 * id; each pack a flag turns on follows with its own.
 */
export const ALL_RULES: readonly Rule<Facts>[] = [
  ...PACKS.filter((p) => p.switchFlag === undefined)
    .flatMap((p) => p.rules)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  ...PACKS.filter((p) => p.switchFlag !== undefined).flatMap((p) => p.rules),
];

/** Report sections of every pack, in order. */
export const GROUPS: ReadonlyArray<readonly [string, string]> = PACKS.flatMap((p) => p.groups);

/** The packs the user asked for (those without a switch always). */
export const enabledPacks = (options: RunOptions): AnyPack[] => PACKS.filter((p) => packEnabled(p, options));

/** The rules of the packs the user asked for, in report order. */
export const enabledRules = (options: RunOptions): Rule<Facts>[] => {
  const on = new Set(enabledPacks(options).flatMap((p) => p.rules));
  return ALL_RULES.filter((r) => on.has(r));
};

/** The pack a rule belongs to. */
export const packOf = (ruleId: string): AnyPack | undefined => PACKS.find((p) => p.rules.some((r) => r.id === ruleId));

export type { CollectContext, Pack, RunOptions } from "./pack.js";
