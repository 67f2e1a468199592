/**
 * Rule tables in the shape of ESLint's RuleTester: for each rule, facts it
 * must pass (`valid`) and facts it must not (`invalid`, with the status they
 * give: FAIL for a broken setup, ERROR for a fact that could not be read,
 * SKIPPED where the rule does not apply). Each case starts from the facts of
 * a correct deployment and changes one thing, through typed accessors.
 */
import type { Facts } from "../../src/checks/index.js";
import type { Status } from "../../src/engine/rule.js";

export interface RuleCase {
  name: string;
  /** The starting facts (default: a healthy deployment of the base config). */
  facts?: () => Facts;
  /** The one thing this case changes. */
  mutate?: (f: Facts) => void;
}

export interface InvalidCase extends RuleCase {
  expect: Exclude<Status, "PASS">;
  /** One resource of several is affected: the others are still judged (and may PASS), never hidden. */
  oneOfSeveral?: true;
}

export interface RuleTable {
  valid: RuleCase[];
  invalid: InvalidCase[];
}

/** Tables of one area, by rule id. */
export type AreaTables = Record<string, RuleTable>;
