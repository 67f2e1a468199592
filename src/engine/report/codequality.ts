/**
 * GitLab Code Quality: a JSON array of issues, each with a fingerprint that
 * stays the same across pipelines (rule + resource), so a merge request shows
 * what it introduced and what it resolved. FAIL, ERROR and ADVICE are issues;
 * passes and skipped (suppressed) results are not.
 */
import type { Location, Result } from "../evaluate.js";
import type { Severity } from "../rule.js";
import { fingerprint } from "./sarif.js";

/** GitLab's scale: info, minor, major, critical, blocker. */
const SEVERITY: Record<Severity, string> = {
  critical: "critical",
  high: "major",
  medium: "minor",
  low: "info",
  info: "info",
};

export function renderCodeQuality(reports: ReadonlyArray<{ config: string; results: readonly Result[] }>): string {
  const issues = reports.flatMap(({ config, results }) =>
    results
      .filter((r) => r.status === "FAIL" || r.status === "ERROR" || r.status === "ADVICE")
      .map((r) => {
        const at: Location = r.location ?? { uri: config, line: 1 };
        return {
          type: "issue",
          check_name: r.ruleId,
          description: `${r.status === "FAIL" ? "" : `${r.status}: `}${r.message}${r.resource === "-" ? "" : ` (${r.resource})`}`,
          categories: ["Security"],
          severity: r.status === "ERROR" ? "major" : SEVERITY[r.severity],
          // The config joins the key: the same rule on the same resource in two accounts is two issues.
          fingerprint: fingerprint({ ruleId: r.ruleId, resource: `${config}\n${r.resource}` }),
          location: { path: at.uri, lines: { begin: at.line } },
        };
      }),
  );
  return `${JSON.stringify(issues, null, 2)}\n`;
}
