/** The terminal report: results grouped by area, one line each, then a summary line. */
import { printable } from "../../util/printable.js";
import type { Styler } from "../../util/style.js";
import { outputWidth, visibleLength, wrap } from "../../util/wrap.js";
import { type ExitPolicy, type Result, summarize } from "../evaluate.js";

export function renderText(
  results: readonly Result[],
  s: Styler,
  heading: string,
  groups: ReadonlyArray<readonly [string, string]>,
  opts: {
    policy?: ExitPolicy;
    quiet?: boolean;
    width?: number;
    /** Where a reader finds how to fix a rule: printed when something needs attention. */
    help?: readonly string[];
  } = {},
): string {
  const width = opts.width ?? outputWidth();
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
  const lines = [...wrap(heading, width, "", "  "), ""];
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
      const resource = r.resource === "-" ? "" : `${printable(r.resource, 200)}  `;
      const head = `  ${badge(r)}  ${r.ruleId.padEnd(idWidth)}  `;
      const text = `${resource}${printable(r.message, 4000)}`;
      if (visibleLength(head) + text.length <= width) {
        lines.push(`${head}${resource ? s.dim(resource) : ""}${printable(r.message, 4000)}`);
        continue;
      }
      // Too wide: the resource stays on the rule's line, the message wraps below it under the
      // badge's end, so nothing runs past the edge.
      const indent = "           ";
      if (resource) lines.push(...wrap(resource.trim(), width, head, indent));
      else lines.push(head.replace(/\s+$/, ""));
      lines.push(...wrap(printable(r.message, 4000), width, indent, indent));
    }
    lines.push("");
  }
  const sum = summarize(results, opts.policy);
  if (opts.help && results.some((r) => r.status === "FAIL" || r.status === "ERROR" || r.status === "ADVICE"))
    lines.push(...opts.help.map((l) => s.dim(l)), "");
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
  lines.push(...wrap(parts.join(", "), width, "", ""));
  return `${lines.join("\n")}\n`;
}
