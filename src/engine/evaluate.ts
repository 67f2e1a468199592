/** Runs every rule over the facts: throws become ERROR, suppressions become SKIPPED with their reason. */
import { Undecidable } from "./fact.js";
import type { BaseFacts, Rule, Severity, Status } from "./rule.js";

export interface Result {
  ruleId: string;
  title: string;
  severity: Severity;
  status: Status;
  resource: string;
  message: string;
  /** Set when a config suppression turned this result into SKIPPED. */
  suppression?: { reason: string; originalStatus: Status };
}

export function evaluate<F extends BaseFacts>(rules: readonly Rule<F>[], facts: F): Result[] {
  const results: Result[] = [];
  const suppressions = new Map(facts.config.suppressions.map((s) => [s.rule, s.reason]));
  for (const rule of rules) {
    const base = { ruleId: rule.id, title: rule.title, severity: rule.severity };
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
    for (const o of outcomes) {
      if (reason !== undefined && o.status !== "PASS" && o.status !== "SKIPPED") {
        results.push({
          ...base,
          ...o,
          status: "SKIPPED",
          message: `suppressed: ${reason} (was ${o.status}: ${o.message})`,
          suppression: { reason, originalStatus: o.status },
        });
      } else {
        results.push({ ...base, ...o });
      }
    }
  }
  return results;
}

export interface Summary {
  PASS: number;
  FAIL: number;
  ERROR: number;
  SKIPPED: number;
  /** FAILs of recommendations (severity info): shown, never fatal. */
  recommendations: number;
}

export function summarize(results: readonly Result[]): Summary {
  const s: Summary = { PASS: 0, FAIL: 0, ERROR: 0, SKIPPED: 0, recommendations: 0 };
  for (const r of results) {
    s[r.status]++;
    if (r.status === "FAIL" && r.severity === "info") s.recommendations++;
  }
  return s;
}

/** 1 when any non-recommendation FAIL, or any ERROR unless errors are explicitly allowed. */
export function exitCodeFor(results: readonly Result[], opts: { allowErrors?: boolean } = {}): 0 | 1 {
  const bad = results.some(
    (r) => (r.status === "FAIL" && r.severity !== "info") || (r.status === "ERROR" && !opts.allowErrors),
  );
  return bad ? 1 : 0;
}
