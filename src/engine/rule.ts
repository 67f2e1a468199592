/**
 * The rule contract. A rule is a pure function over facts with its id,
 * severity, rationale and remediation in its own file; rules never call AWS.
 */
import type { Config } from "../config/schema.js";
import type { Fact, Facts } from "../checks/config/facts.js";

export type Status = "PASS" | "FAIL" | "ERROR" | "SKIPPED";
/** `info` marks a recommendation: reported, but it never fails the run. */
export type Severity = "critical" | "high" | "medium" | "low" | "info";

export interface Outcome {
  status: "PASS" | "FAIL" | "SKIPPED";
  resource: string;
  message: string;
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  /** Why the rule exists: what goes wrong without it. */
  rationale: string;
  remediation: { terraform: string; console: string };
  /** A short docs section (Markdown) for the README and --list-rules. */
  docs: string;
  /** A reason to skip the rule for this config, or undefined when it applies. */
  notApplicable?(config: Config): string | undefined;
  evaluate(facts: Facts): Outcome | Outcome[];
}

/** Thrown by `read` when a fact cannot be decided on; the engine turns it into ERROR or SKIPPED. */
export class Undecidable extends Error {
  constructor(
    readonly status: "ERROR" | "SKIPPED",
    message: string,
  ) {
    super(message);
    this.name = "Undecidable";
  }
}

/** The value of a fact, `undefined` when absent; a failed, unknown or unobservable read stops the rule. */
export function read<T>(fact: Fact<T>, what: string): T | undefined {
  switch (fact.state) {
    case "present":
      return fact.value;
    case "absent":
      return undefined;
    case "error":
      throw new Undecidable("ERROR", `could not read ${what}: ${fact.detail}`);
    case "unknown":
      throw new Undecidable("ERROR", `${what} is known only after apply: ${fact.detail}`);
    case "skip":
      throw new Undecidable("SKIPPED", `${what}: ${fact.detail}`);
  }
}

export const pass = (resource: string, message: string): Outcome => ({ status: "PASS", resource, message });
export const fail = (resource: string, message: string): Outcome => ({ status: "FAIL", resource, message });
export const skipped = (resource: string, message: string): Outcome => ({ status: "SKIPPED", resource, message });
