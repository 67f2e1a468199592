/** The terminal report: results grouped by area, one line each, then a summary line. */
import { printable } from "../../util/printable.js";
import type { Styler } from "../../util/style.js";
import { type ExitPolicy, type Result, summarize } from "../evaluate.js";

export function renderText(
  results: readonly Result[],
  s: Styler,
  heading: string,
  groups: ReadonlyArray<readonly [string, string]>,
  opts: { policy?: ExitPolicy; quiet?: boolean } = {},
): string {
  const badge = (r: Result) =>
    ({
      PASS: s.green("PASS   "),
      FAIL: s.red("FAIL   "),
      ADVICE: s.yellow("ADVICE "),
      ERROR: s.red(s.bold("ERROR  ")),
      SKIPPED: s.dim("SKIPPED"),
    })[r.status];
  // --quiet: only what needs attention (FAIL, ERROR), then the summary.
  const shown = opts.quiet ? results.filter((r) => r.status === "FAIL" || r.status === "ERROR") : results;
  const idWidth = Math.max(0, ...shown.map((r) => r.ruleId.length));
  const lines = [heading, ""];
  // A rule outside every section still shows, under "Other": a result is never dropped.
  const known = new Set(groups.map(([prefix]) => prefix));
  const sections = [...groups, ["", "Other"] as const];
  for (const [prefix, title] of sections) {
    const area = (r: Result) => r.ruleId.split(".")[0]!;
    const group = shown.filter((r) => (prefix === "" ? !known.has(area(r)) : area(r) === prefix));
    if (group.length === 0) continue;
    lines.push(s.bold(title));
    for (const r of group) {
      // Messages quote what AWS and config files hold: shown escaped, so nothing can redraw a line.
      const resource = r.resource === "-" ? "" : `${s.dim(printable(r.resource, 200))}  `;
      lines.push(`  ${badge(r)}  ${r.ruleId.padEnd(idWidth)}  ${resource}${printable(r.message, 4000)}`);
    }
    lines.push("");
  }
  const sum = summarize(results, opts.policy);
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const below =
    sum.belowThreshold > 0 ? ` (${sum.belowThreshold} below --severity-threshold, not failing the run)` : "";
  const parts = [
    s.green(`${sum.PASS} passed`),
    sum.FAIL > 0 ? s.red(`${sum.FAIL} failed${below}`) : "0 failed",
    sum.ERROR > 0 ? s.red(n(sum.ERROR, "error", "errors")) : "0 errors",
    `${sum.SKIPPED} skipped`,
    ...(sum.ADVICE > 0 ? [s.yellow(n(sum.ADVICE, "recommendation", "recommendations"))] : []),
  ];
  lines.push(parts.join(", "));
  return `${lines.join("\n")}\n`;
}
