/**
 * The named queries synth saves in the workgroup: the investigation `investigate --engine athena`
 * runs, as text with `?` parameters (Athena's console asks for each value in order; the leading
 * comment lists them).
 */
import type { AthenaConfig } from "../config/query-schema.js";
import type { Config } from "../config/schema.js";
import { investigationSql, positional, withRelation } from "../investigate/sql.js";
import { athenaRelation } from "./relation.js";

export interface NamedQuery {
  name: string;
  description: string;
  query: string;
}

/** The investigation with its parameters in the order Athena binds them. */
export function parameterisedInvestigation(
  cfg: Config,
  athena: AthenaConfig,
  format: string,
): { sql: string; order: string[] } {
  const sql = withRelation(investigationSql(format), athenaRelation(cfg, athena));
  const order: string[] = [];
  const names = new Proxy({} as Record<string, string>, {
    get: (_t, name: string) => {
      order.push(name);
      return "";
    },
  });
  return { sql: positional(sql, names).sql, order };
}

export function namedQueries(cfg: Config, athena: AthenaConfig): NamedQuery[] {
  const { sql, order } = parameterisedInvestigation(cfg, athena, "");
  const explain: Record<string, string> = {
    from: "from (RFC 3339 UTC, e.g. '2026-11-01T00:00:00Z')",
    to: "to (RFC 3339 UTC)",
    name: "package name, lower case",
    format: "format ('npm', 'python', ... or '' for any)",
    raw_name: "package name as written (matched in download URIs)",
    principal: "principal ('' for anyone; 'user:<name>', 'token:<id>' or an IAM ARN)",
    ip: "source IP ('' for any)",
    mention: "package base name, lower case (a regular expression)",
    from_day: "first CloudTrail day folder (YYYY/MM/DD)",
    to_day: "last CloudTrail day folder (YYYY/MM/DD)",
  };
  const header = order.map((n, i) => `-- ?${i + 1}: ${explain[n] ?? n}`).join("\n");
  return [
    {
      name: "cloudsmith-log-export: who pulled a package",
      description:
        "Every request for one package in a window, from the download log, the audit log and CodeArtifact (as investigate --engine athena).",
      query: `-- cloudsmith-log-export investigate, parameters in order:\n${header}\n${sql.trim()}\n`,
    },
  ];
}
