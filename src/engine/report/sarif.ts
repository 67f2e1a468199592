/**
 * SARIF 2.1.0 for code-scanning dashboards: one reportingDescriptor per rule
 * with `security-severity`, one result per FAIL/ERROR, and suppressed results
 * carrying their justification.
 */
import type { Result } from "../evaluate.js";
import type { Rule, Severity } from "../rule.js";

const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "1.0",
};
const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

/** One SARIF run per verified config, each with the full rule list. */
export function renderSarif(
  reports: ReadonlyArray<{ config: string; results: readonly Result[] }>,
  RULES: readonly Rule<never>[],
  meta: { version: string },
): string {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: reports.map(({ config: artifact, results }) => ({
      tool: {
        driver: {
          name: "cloudsmith-log-export",
          version: meta.version,
          rules: RULES.map((r) => ({
            id: r.id,
            name: r.id.replace(/[.-](\w)/g, (_, c: string) => c.toUpperCase()),
            shortDescription: { text: r.title },
            fullDescription: { text: r.rationale },
            help: { text: `${r.docs}\nTerraform: ${r.remediation.terraform}\nConsole: ${r.remediation.console}` },
            defaultConfiguration: { level: LEVEL[r.severity] },
            properties: { "security-severity": SECURITY_SEVERITY[r.severity], tags: ["security", r.id.split(".")[0]] },
          })),
        },
      },
      results: results
        .filter((r) => r.status === "FAIL" || r.status === "ERROR" || r.suppression)
        .map((r) => ({
          ruleId: r.ruleId,
          ruleIndex: index.get(r.ruleId),
          // An ERROR means "could not decide": surfaced as an error, never dropped.
          level: r.status === "ERROR" ? "error" : LEVEL[r.severity],
          kind: r.status === "ERROR" ? "review" : "fail",
          message: { text: `${r.status}: ${r.message}` },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: artifact } },
              logicalLocations: [{ name: r.resource, kind: "resource" }],
            },
          ],
          ...(r.suppression ? { suppressions: [{ kind: "external", justification: r.suppression.reason }] } : {}),
        })),
    })),
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
