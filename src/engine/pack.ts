/**
 * A check pack: a set of rules and the collector that gathers their facts.
 * The runner asks each pack whether the user wanted it, lets it collect, and
 * runs its rules. A pack's `collect` never throws: a failed read becomes an
 * `error` fact. When the pack cannot collect at all (assuming the role
 * failed), `fail` marks every fact it owns, so each of its rules reports
 * ERROR: a check the user asked for never silently disappears.
 */
import type { BaseFacts, Rule } from "./rule.js";

export interface CheckPack<C, O, F extends BaseFacts> {
  id: string;
  /** Report sections: rule-id prefix and heading, in report order. */
  groups: ReadonlyArray<readonly [prefix: string, title: string]>;
  rules: readonly Rule<F>[];
  /** Fills this pack's part of `facts`. Never throws. */
  collect(context: C, options: O, facts: F): Promise<void>;
  /** Marks every fact this pack owns as unreadable, with the reason. */
  fail(facts: F, detail: string): void;
}
