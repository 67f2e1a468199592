/** Config problems and their one-line rendering (no zod here: the CLI entry imports this). */
import { printable } from "../util/printable.js";
import type { ProblemLevel } from "./rules.js";

export interface ConfigIssue {
  /** Dotted path of the field, e.g. `bucket.name`; "(config)" for the whole file. */
  path: string;
  value?: unknown;
  message: string;
  severity: ProblemLevel;
}

/** Bad input: carries every issue, maps to exit code 2. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[], source?: string) {
    super(
      `${source ? `${source}: ` : ""}${issues.length} config error${issues.length === 1 ? "" : "s"}:\n${issues.map(formatIssue).join("\n")}`,
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** One line per issue; values and paths come from the user's file, so they are escaped and cut. */
export function formatIssue(issue: ConfigIssue): string {
  const value = issue.value === undefined ? "" : ` = ${printable(JSON.stringify(issue.value) ?? "", 120)}`;
  return `  ${issue.severity === "warning" ? "warning" : "error"}: ${printable(issue.path, 120)}${value}: ${printable(issue.message, 400)}`;
}
