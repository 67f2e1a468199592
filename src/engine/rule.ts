/**
 * The rule contract. A rule is a pure function over facts with its id,
 * severity, rationale and remediation in its own file; rules never call AWS.
 * `F` is the facts a rule reads: each check pack defines its own. The engine
 * knows nothing of AWS or of the tool's config beyond its suppressions.
 */

/** ADVICE: a recommendation (a rule of severity `info`) that is not met; reported, never a failure. */
export type Status = "PASS" | "FAIL" | "ADVICE" | "ERROR" | "SKIPPED";
/** `info` marks a recommendation: reported, but it never fails the run. */
export type Severity = "critical" | "high" | "medium" | "low" | "info";
export const SEVERITIES: readonly Severity[] = ["info", "low", "medium", "high", "critical"];
/** Orders severities: info 0 ... critical 4. */
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/** A rule the config turns off for a reason a reviewer will see. */
export interface Suppression {
  rule: string;
  reason: string;
}

/** What every fact set carries: the config the facts were collected for (its suppressions, at least). */
export interface BaseFacts {
  config: { readonly suppressions: readonly Suppression[] };
}

export interface Outcome {
  /** ERROR: one resource could not be decided (its read failed), while the rule's others were. */
  status: "PASS" | "FAIL" | "SKIPPED" | "ERROR";
  resource: string;
  message: string;
}

export interface Rule<F extends BaseFacts = BaseFacts> {
  id: string;
  title: string;
  severity: Severity;
  /** Why the rule exists: what goes wrong without it. */
  rationale: string;
  remediation: { terraform: string; console: string };
  /** A short docs section (Markdown) for the rule's page and --list-rules. */
  docs: string;
  /** Ids of earlier rules this one answers: a suppression naming one of them applies here. */
  replaces?: readonly string[];
  /** A reason to skip the rule for this config, or undefined when it applies. */
  notApplicable?(config: F["config"]): string | undefined;
  evaluate(facts: F): Outcome | Outcome[];
}

export const pass = (resource: string, message: string): Outcome => ({ status: "PASS", resource, message });
export const fail = (resource: string, message: string): Outcome => ({ status: "FAIL", resource, message });
export const skipped = (resource: string, message: string): Outcome => ({ status: "SKIPPED", resource, message });
export const errored = (resource: string, message: string): Outcome => ({ status: "ERROR", resource, message });
