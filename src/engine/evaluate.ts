/** Runs every rule over the facts: throws become ERROR, suppressions become SKIPPED with their reason. */
import { Undecidable } from "./fact.js";
import { type BaseFacts, type Rule, type Severity, type Status, severityRank } from "./rule.js";

export interface Result {
  ruleId: string;
  title: string;
  severity: Severity;
  status: Status;
  resource: string;
  message: string;
  /** Set when a config suppression turned this result into SKIPPED. */
  suppression?: { reason: string; originalStatus: Status };
  /** Where the result points in a file: the Terraform resource, or the config. */
  location?: Location;
  /** How long the rule took over the facts (reports with times, such as JUnit, show it). */
  durationMs?: number;
}

export interface Location {
  /** Relative to the working directory, with forward slashes. */
  uri: string;
  line: number;
  column?: number;
  /** Where the region ends (inclusive line; the column just after its last character). */
  endLine?: number;
  endColumn?: number;
  /** The line's primaryLocationLineHash, for a file in the repository (code scanning matches alerts by it). */
  lineHash?: string;
  /** The Terraform resource (in the plan or the synthesized JSON) a result located in its source also concerns. */
  related?: Location[];
  /** The Terraform address of the resource located (`aws_s3_bucket.logs`), when it is one. */
  address?: string;
}

export function evaluate<F extends BaseFacts>(rules: readonly Rule<F>[], facts: F): Result[] {
  const results: Result[] = [];
  const suppressions = new Map(facts.config.suppressions.map((s) => [s.rule, s.reason]));
  for (const rule of rules) {
    const base = { ruleId: rule.id, title: rule.title, severity: rule.severity };
    const started = performance.now();
    const notApplicable = rule.notApplicable?.(facts.config);
    let outcomes: Array<Pick<Result, "status" | "resource" | "message">>;
    if (notApplicable) {
      outcomes = [{ status: "SKIPPED", resource: "-", message: notApplicable }];
    } else {
      try {
        const out = rule.evaluate(facts);
        outcomes = Array.isArray(out) ? out : [out];
        if (outcomes.length === 0)
          outcomes = [{ status: "ERROR", resource: "-", message: "the rule returned no result" }];
      } catch (e) {
        outcomes =
          e instanceof Undecidable
            ? [{ status: e.status, resource: "-", message: e.message }]
            : [
                {
                  status: "ERROR",
                  resource: "-",
                  message: `the rule failed: ${e instanceof Error ? e.message : String(e)}`,
                },
              ];
      }
    }
    const reason = [rule.id, ...(rule.replaces ?? [])].map((id) => suppressions.get(id)).find((r) => r !== undefined);
    const durationMs = performance.now() - started;
    for (const raw of outcomes) {
      // A recommendation that is not met is advice: its own status, so no report calls it a failure.
      const o = raw.status === "FAIL" && rule.severity === "info" ? { ...raw, status: "ADVICE" as const } : raw;
      if (reason !== undefined && o.status !== "PASS" && o.status !== "SKIPPED") {
        results.push({
          ...base,
          ...o,
          status: "SKIPPED",
          message: `suppressed: ${reason} (was ${o.status}: ${o.message})`,
          suppression: { reason, originalStatus: o.status },
          durationMs,
        });
      } else {
        results.push({ ...base, ...o, durationMs });
      }
    }
  }
  return results;
}

export interface Summary {
  PASS: number;
  FAIL: number;
  ADVICE: number;
  ERROR: number;
  SKIPPED: number;
  /** FAILs below --severity-threshold: reported, they do not fail the run. */
  belowThreshold: number;
}

export interface ExitPolicy {
  allowErrors?: boolean;
  /** FAILs of a lower severity are reported and do not fail the run. @default "low" */
  severityThreshold?: Severity;
}

const counts = (r: Result, policy: ExitPolicy): boolean =>
  severityRank(r.severity) >= severityRank(policy.severityThreshold ?? "low");

export function summarize(results: readonly Result[], policy: ExitPolicy = {}): Summary {
  const s: Summary = { PASS: 0, FAIL: 0, ADVICE: 0, ERROR: 0, SKIPPED: 0, belowThreshold: 0 };
  for (const r of results) {
    s[r.status]++;
    if (r.status === "FAIL" && !counts(r, policy)) s.belowThreshold++;
  }
  return s;
}

/** 1 when a FAIL at or above the threshold, or any ERROR unless errors are explicitly allowed. ADVICE never fails. */
export function exitCodeFor(results: readonly Result[], policy: ExitPolicy = {}): 0 | 1 {
  const bad = results.some(
    (r) => (r.status === "FAIL" && counts(r, policy)) || (r.status === "ERROR" && !policy.allowErrors),
  );
  return bad ? 1 : 0;
}
