/**
 * The check packs, in report order, and every rule they hold. Adding a pack
 * is one line here: the runner, `--list-rules`, the reports and the README's
 * rule reference all read this registry.
 */

import type { CheckPack } from "../engine/pack.js";
import type { Rule } from "../engine/rule.js";
import { cloudsmithPack } from "./cloudsmith/pack.js";
import { configPack } from "./config/pack.js";
import type { CheckOptions, CollectContext } from "./context.js";
import { deliveryPack } from "./delivery/pack.js";
import type { Facts } from "./facts.js";
import { integrityPack } from "./integrity/pack.js";

export type Pack = CheckPack<CheckOptions, CollectContext, Facts>;

// Each pack reads only its own part of Facts; the registry sees them all over the whole.
export const PACKS: readonly Pack[] = [configPack, deliveryPack, integrityPack, cloudsmithPack] as readonly Pack[];

export const ALL_RULES: readonly Rule<Facts>[] = PACKS.flatMap((p) => p.rules);

/** Report sections of every pack, in order. */
export const GROUPS: ReadonlyArray<readonly [string, string]> = PACKS.flatMap((p) => p.groups);

/** The packs the user asked for (the configuration pack always). */
export const enabledPacks = (options: CheckOptions): Pack[] => PACKS.filter((p) => p.enabled(options));

export type { CheckOptions, CollectContext } from "./context.js";
export type { Facts } from "./facts.js";
