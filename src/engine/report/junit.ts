/** JUnit XML: one testsuite per rule area, one testcase per result, with tests/failures/errors/skipped counts. */
import type { Result } from "../evaluate.js";

const esc = (s: string): string =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");

/** One testsuite per rule area (per config when several are verified at once). */
export function renderJunit(
  reports: ReadonlyArray<{ config: string; results: readonly Result[] }>,
  name: string,
): string {
  const groups = new Map<string, Result[]>();
  for (const report of reports) {
    for (const r of report.results) {
      const g = `${reports.length > 1 ? `${report.config}:` : ""}${r.ruleId.split(".")[0]!}`;
      groups.set(g, [...(groups.get(g) ?? []), r]);
    }
  }
  const results = reports.flatMap((r) => r.results);
  const count = (rs: readonly Result[]) => ({
    tests: rs.length,
    failures: rs.filter((r) => r.status === "FAIL").length,
    errors: rs.filter((r) => r.status === "ERROR").length,
    // Recommendations not met (ADVICE) are reported like skipped tests: visible, never a failure.
    skipped: rs.filter((r) => r.status === "SKIPPED" || r.status === "ADVICE").length,
  });
  const total = count(results);
  const suites = [...groups].map(([group, rs]) => {
    const c = count(rs);
    const cases = rs.map((r) => {
      const head = `    <testcase classname="${esc(`${name}.${group}`)}" name="${esc(r.resource === "-" ? r.ruleId : `${r.ruleId} ${r.resource}`)}">`;
      const text = `${r.message}`;
      if (r.status === "FAIL")
        return `${head}\n      <failure type="${esc(r.severity)}" message="${esc(text)}">${esc(`${r.title}: ${text}`)}</failure>\n    </testcase>`;
      if (r.status === "ERROR")
        return `${head}\n      <error type="unreadable" message="${esc(text)}">${esc(`${r.title}: ${text}`)}</error>\n    </testcase>`;
      if (r.status === "SKIPPED") return `${head}\n      <skipped message="${esc(text)}"/>\n    </testcase>`;
      if (r.status === "ADVICE")
        return `${head}\n      <skipped message="${esc(`ADVICE (recommendation): ${text}`)}"/>\n    </testcase>`;
      return `${head}</testcase>`;
    });
    return `  <testsuite name="${esc(`${name}.${group}`)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${esc(name)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}">\n${suites.join("\n")}\n</testsuites>\n`;
}
