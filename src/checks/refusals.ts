/** Requests that must be refused, judged together: who got in, through which statement, or which answer stays open. */
import { Undecidable } from "../engine/fact.js";
import { type Decision, evaluateRequest, type PolicySet } from "../iam/eval/evaluate.js";
import { isUndecided } from "../iam/eval/tri.js";
import type { Probe } from "./assume-role.js";

/** A statement reference as messages print it: `inline policy X, statement "Sid"`. */
export const where = (r: { policy: string; statement: string }): string => `${r.policy}, ${r.statement}`;

/** Why a request was refused or could not be decided: the policy and statement, by Sid or position. */
export function describeDecision(d: Decision): string {
  if (d.undecided) return `${d.undecided.policy}, ${d.undecided.statement}: ${d.undecided.reason}`;
  if (d.deniedBy.length > 0) return `denied by ${d.deniedBy.map((r) => `${r.policy}, ${r.statement}`).join("; ")}`;
  if (d.decision === "implicit-deny") {
    return d.unmet
      ? `not allowed: ${where(d.unmet)} requires ${d.unmet.condition}, which the request does not meet`
      : "no statement allows it (none names this principal, action and resource)";
  }
  return d.decision;
}

export interface ProbeVerdicts {
  /** Probes the policies allow; a named principal whose grant hangs on its own claims counts. */
  admitted: Array<{ who: string; d: Decision }>;
  /** The first probe whose answer could not be decided. */
  open?: { who: string; d: Decision };
}

/** Evaluates requests that must all be refused. */
export function mustBeRefused(probes: readonly Probe[], policies: PolicySet): ProbeVerdicts {
  const verdicts = probes.map((p) => ({ ...p, d: evaluateRequest(p.request, policies) }));
  const admitted = verdicts.filter(
    (v) => v.d.allowed === true || (v.named === true && v.d.deniedBy.length === 0 && v.d.undecided?.effect === "Allow"),
  );
  const open = verdicts.find((v) => isUndecided(v.d.allowed) && !admitted.includes(v));
  return { admitted, ...(open ? { open } : {}) };
}

/** FAIL naming who got in and through which statement, ERROR when one answer is open, else undefined. */
export function refusalProblems(v: ProbeVerdicts, what: string): string | undefined {
  if (v.admitted.length > 0) {
    return v.admitted
      .map(({ who, d }) =>
        d.allowed === true
          ? `${who} can ${what} (allowed by ${d.allowedBy.map(where).join("; ")})`
          : `${who} can ${what} with a matching ${d.undecided!.key} (${where(d.undecided!)})`,
      )
      .join("; ");
  }
  if (v.open)
    throw new Undecidable("ERROR", `cannot tell whether ${v.open.who} can ${what}: ${describeDecision(v.open.d)}`);
  return undefined;
}
