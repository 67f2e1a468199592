/**
 * What a set of policies grants, found by asking: for every action the
 * policies could grant and every resource they could grant it on, is the
 * request allowed? Actions come from the policies' own patterns expanded with
 * the action catalog, plus a fixed list of dangerous actions that stand in for
 * `*` and NotAction; resources from the policies' own patterns made concrete,
 * plus the caller's probes. Denies and the permissions boundary are honoured,
 * because the evaluator answers each request.
 */
import { catalogActions, dangerRank, expandAction } from "../action-catalog.js";
import { asArray, type PolicyDocument, type Statement } from "../policies/types.js";
import { type Decision, evaluateRequest, type PolicySet, type StatementRef } from "./evaluate.js";
import type { Request } from "./request.js";
import { isUndecided } from "./tri.js";

/**
 * Stand-ins for "every action", most dangerous first: what `*`, a service
 * wildcard or NotAction would hand an outsider's role.
 */
export const DANGEROUS_ACTIONS = [
  "iam:PassRole",
  "iam:AttachRolePolicy",
  "iam:CreateAccessKey",
  "sts:AssumeRole",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketAcl",
  "kms:PutKeyPolicy",
  "kms:ScheduleKeyDeletion",
  "cloudtrail:StopLogging",
  "cloudtrail:DeleteTrail",
  "s3:DeleteBucket",
  "s3:DeleteObject",
  "s3:GetObject",
  "kms:Decrypt",
  "s3:ListBucket",
  "s3:PutObjectTagging",
] as const;

/** Orders actions most dangerous first: by access level, then by place in DANGEROUS_ACTIONS, then by name. */
export function byDanger(a: string, b: string): number {
  const rank = (action: string): [number, number] => {
    const i = DANGEROUS_ACTIONS.findIndex((d) => d.toLowerCase() === action.toLowerCase());
    return [dangerRank(action), i < 0 ? DANGEROUS_ACTIONS.length : i];
  };
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || a.localeCompare(b);
}

export interface Grant {
  action: string;
  resource: string;
  /** The statement that grants it and the Action pattern that matched. */
  by: StatementRef;
  /** Set when the grant hangs on a condition the request does not determine. */
  when?: string;
}

const allowStatements = (docs: readonly PolicyDocument[]): Statement[] =>
  docs.flatMap((d) => asArray(d.Statement as Statement | Statement[])).filter((s) => s.Effect === "Allow");

/** The actions the policies could grant, concrete where the catalog knows the service. */
export function candidateActions(docs: readonly PolicyDocument[], always: readonly string[]): string[] {
  const out = new Set<string>(always);
  for (const s of allowStatements(docs)) {
    if (s.NotAction !== undefined) {
      for (const p of asArray(s.NotAction)) for (const a of catalogActions(p.split(":")[0]!.toLowerCase())) out.add(a);
      for (const a of DANGEROUS_ACTIONS) out.add(a);
    }
    for (const p of asArray(s.Action)) {
      for (const a of expandAction(p)) {
        if (/[*?]/.test(a.split(":")[0]!) || a === "*") for (const d of DANGEROUS_ACTIONS) out.add(d);
        else out.add(a);
      }
    }
  }
  return [...out];
}

/** The resources the policies name, with wildcards made concrete (`bucket/logs/*` -> `bucket/logs/x`). */
export function candidateResources(docs: readonly PolicyDocument[], probes: readonly string[]): string[] {
  const out = new Set<string>(probes);
  for (const s of allowStatements(docs)) {
    for (const r of asArray(s.Resource)) if (r !== "*" && !r.includes("${")) out.add(r.replace(/[*?]/g, "x"));
  }
  return [...out];
}

/** Every (action, resource) pair the policies allow or may allow. */
export function grantsOf(
  policies: PolicySet,
  actions: readonly string[],
  resources: readonly string[],
  request: (action: string, resource: string) => Request,
): Grant[] {
  const out: Grant[] = [];
  for (const action of actions) {
    for (const resource of resources) {
      const d: Decision = evaluateRequest(request(action, resource), policies);
      if (d.allowed === true) out.push({ action, resource, by: d.allowedBy[0]! });
      else if (isUndecided(d.allowed) && d.undecided?.effect === "Allow" && d.deniedBy.length === 0)
        out.push({ action, resource, by: d.undecided, when: d.undecided.reason });
    }
  }
  return out;
}
