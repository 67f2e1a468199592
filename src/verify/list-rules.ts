/** `verify --list-rules`: every rule of every pack, as text or JSON. */
import { ALL_RULES as RULES } from "../checks/index.js";
import type { OutputFormat } from "../engine/report/index.js";
import { outputWidth, wrap } from "../util/wrap.js";

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
  const width = outputWidth();
  // The title wraps under itself; in a narrow terminal, under the id.
  const lines = RULES.flatMap((r) => {
    const head = `${r.id.padEnd(w)}  ${r.severity.padEnd(8)}  `;
    return head.length < width / 2
      ? wrap(r.title, width, head, " ".repeat(head.length))
      : [head.trimEnd(), ...wrap(r.title, width, "    ", "    ")];
  });
  return `${lines.join("\n")}\n`;
}
