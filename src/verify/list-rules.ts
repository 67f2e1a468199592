/** `verify --list-rules`: every rule of every pack, as text or JSON. */
import { ALL_RULES as RULES } from "../checks/index.js";
import type { OutputFormat } from "../engine/report/index.js";

export function listRules(format: OutputFormat): string {
  if (format === "json") {
    return `${JSON.stringify(
      RULES.map(({ id, title, severity, rationale, remediation, docs }) => ({
        id,
        title,
        severity,
        rationale,
        remediation,
        docs,
      })),
      null,
      2,
    )}\n`;
  }
  const w = Math.max(...RULES.map((r) => r.id.length));
  return `${RULES.map((r) => `${r.id.padEnd(w)}  ${r.severity.padEnd(8)}  ${r.title}`).join("\n")}\n`;
}
