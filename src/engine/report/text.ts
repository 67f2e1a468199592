/** The terminal report: results grouped by area, one line each, then a summary line. */
import { printable } from "../../util/printable.js";
import type { Styler } from "../../util/style.js";
import { type Result, summarize } from "../evaluate.js";

export function renderText(
  results: readonly Result[],
  s: Styler,
  heading: string,
  groups: ReadonlyArray<readonly [string, string]>,
): string {
  const badge = (r: Result) => {
    if (r.status === "FAIL" && r.severity === "info") return s.yellow("ADVICE ");
    return {
      PASS: s.green("PASS   "),
      FAIL: s.red("FAIL   "),
      ERROR: s.red(s.bold("ERROR  ")),
      SKIPPED: s.dim("SKIPPED"),
    }[r.status];
  };
  const idWidth = Math.max(...results.map((r) => r.ruleId.length));
  const lines = [heading, ""];
  // A rule outside every section still shows, under "Other": a result is never dropped.
  const known = new Set(groups.map(([prefix]) => prefix));
  const sections = [...groups, ["", "Other"] as const];
  for (const [prefix, title] of sections) {
    const area = (r: Result) => r.ruleId.split(".")[0]!;
    const group = results.filter((r) => (prefix === "" ? !known.has(area(r)) : area(r) === prefix));
    if (group.length === 0) continue;
    lines.push(s.bold(title));
    for (const r of group) {
      // Messages quote what AWS and config files hold: shown escaped, so nothing can redraw a line.
      const resource = r.resource === "-" ? "" : `${s.dim(printable(r.resource, 200))}  `;
      lines.push(`  ${badge(r)}  ${r.ruleId.padEnd(idWidth)}  ${resource}${printable(r.message, 4000)}`);
    }
    lines.push("");
  }
  const sum = summarize(results);
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const failedCount = sum.FAIL - sum.recommendations;
  const parts = [
    s.green(`${sum.PASS} passed`),
    failedCount > 0 ? s.red(`${failedCount} failed`) : "0 failed",
    sum.ERROR > 0 ? s.red(n(sum.ERROR, "error", "errors")) : "0 errors",
    `${sum.SKIPPED} skipped`,
    ...(sum.recommendations > 0 ? [s.yellow(n(sum.recommendations, "recommendation", "recommendations"))] : []),
  ];
  lines.push(parts.join(", "));
  return `${lines.join("\n")}\n`;
}
