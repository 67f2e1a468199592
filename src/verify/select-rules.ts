/**
 * --rule and --skip-rule: which rules run. A selector is a rule id, an id a
 * rule replaces (as suppressions accept), or an area (`trust`, `trust.*`).
 * A selector that matches nothing is a usage error, never an empty run that
 * passes; so is a rule whose pack the command line did not turn on.
 */
import { enabledPacks, PACKS, type RunOptions } from "../checks/index.js";
import { usageError } from "../util/errors.js";

/** Splits repeatable, comma-separated flag values. */
export const selectorList = (values: readonly string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");

function matching(selector: string): Array<{ id: string; pack: string; flag?: string }> {
  const area = selector.replace(/\.\*$/, "");
  const out: Array<{ id: string; pack: string; flag?: string }> = [];
  for (const pack of PACKS) {
    for (const rule of pack.rules) {
      if (rule.id === selector || rule.replaces?.includes(selector) || rule.id.split(".")[0] === area)
        out.push({ id: rule.id, pack: pack.id, flag: pack.switchFlag });
    }
  }
  return out;
}

/** The ids to run, or undefined for "every rule of the enabled packs". */
export function selectRules(
  only: readonly string[],
  skip: readonly string[],
  options: RunOptions,
): ReadonlySet<string> | undefined {
  if (only.length === 0 && skip.length === 0) return undefined;
  const resolve = (flag: string, selector: string) => {
    const found = matching(selector);
    if (found.length === 0)
      throw usageError(`${flag} ${JSON.stringify(selector)}: no rule or area has that name (see verify --list-rules)`);
    return found;
  };
  const enabled = new Set(enabledPacks(options).map((p) => p.id));
  let ids: Set<string>;
  if (only.length > 0) {
    ids = new Set();
    for (const selector of only) {
      for (const { id, pack, flag } of resolve("--rule", selector)) {
        if (!enabled.has(pack))
          throw usageError(`--rule ${id}: the rule belongs to the ${pack} checks, which run with ${flag}`);
        ids.add(id);
      }
    }
  } else {
    ids = new Set(PACKS.filter((p) => enabled.has(p.id)).flatMap((p) => p.rules.map((r) => r.id)));
  }
  for (const selector of skip) for (const { id } of resolve("--skip-rule", selector)) ids.delete(id);
  if (ids.size === 0) throw usageError("--rule and --skip-rule leave no rule to run");
  return ids;
}
