/** JSON report with a stable, versioned schema (documented in docs/commands/verify.md). */
import { type ExitPolicy, type Result, summarize } from "../evaluate.js";
import type { Rule } from "../rule.js";

/** 2: recommendations that are not met have status ADVICE (1 reported them as FAIL). */
export const JSON_REPORT_VERSION = 2;

export interface ConfigReport {
  /** The config file (or "example"). */
  config: string;
  /** The config's account and region (Security Hub findings belong there). */
  account?: string;
  region?: string;
  partition?: string;
  /** What the facts came from: "AWS", "AWS API at <url>", "terraform-json <path>", ... */
  source: string;
  /** static: a synthesized stack or a plan; live: AWS. */
  kind: "static" | "live";
  exitCode: number;
  results: readonly Result[];
  /** What fails the run (--allow-errors, --severity-threshold). */
  policy?: ExitPolicy;
  /** The config's whole run: reading the facts and judging them. */
  durationMs?: number;
}

function reportObject(r: ConfigReport, byId: Map<string, { remediation: unknown }>) {
  return {
    source: r.source,
    config: r.config,
    exitCode: r.exitCode,
    summary: summarize(r.results, r.policy),
    results: r.results.map((x) => ({
      ruleId: x.ruleId,
      title: x.title,
      severity: x.severity,
      status: x.status,
      resource: x.resource,
      message: x.message,
      remediation: byId.get(x.ruleId)?.remediation,
      ...(x.suppression ? { suppression: x.suppression } : {}),
      ...(x.location ? { location: x.location } : {}),
    })),
  };
}

/** One config: the report object itself; several: `{ ..., exitCode (worst), summary (all), configs: [report, ...] }`. */
export function renderJson(
  reports: readonly ConfigReport[],
  rules: readonly Rule<never>[],
  tool: { name: string; version: string },
): string {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const head = { reportVersion: JSON_REPORT_VERSION, tool };
  const doc =
    reports.length === 1
      ? { ...head, ...reportObject(reports[0]!, byId) }
      : {
          ...head,
          exitCode: Math.max(0, ...reports.map((r) => r.exitCode)),
          summary: summarize(
            reports.flatMap((r) => r.results),
            reports[0]?.policy,
          ),
          configs: reports.map((r) => reportObject(r, byId)),
        };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
