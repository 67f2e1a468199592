/** JSON report with a stable, versioned schema (documented in the README). */
import { summarize, type Result } from "../engine.js";
import { ALL_RULES as RULES } from "../all-rules.js";

export const JSON_REPORT_VERSION = 1;

export function renderJson(results: readonly Result[], meta: { tool: string; version: string; source: string; config: string; exitCode: number }): string {
  const byId = new Map(RULES.map((r) => [r.id, r]));
  return `${JSON.stringify(
    {
      reportVersion: JSON_REPORT_VERSION,
      tool: { name: meta.tool, version: meta.version },
      source: meta.source,
      config: meta.config,
      exitCode: meta.exitCode,
      summary: summarize(results),
      results: results.map((r) => ({
        ruleId: r.ruleId,
        title: r.title,
        severity: r.severity,
        status: r.status,
        resource: r.resource,
        message: r.message,
        remediation: byId.get(r.ruleId)?.remediation,
        ...(r.suppression ? { suppression: r.suppression } : {}),
      })),
    },
    null,
    2,
  )}\n`;
}
