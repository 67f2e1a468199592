/**
 * Which requests a statement's Principal, Action and Resource cover (IAM User
 * Guide, "IAM JSON policy elements": Principal, NotPrincipal, Action,
 * NotAction, Resource, NotResource). Actions compare case-insensitively,
 * resources case-sensitively, both with `*` and `?` wildcards.
 */

import { asArray, type Statement } from "../policies/types.js";
import { actionMatches, wildcardMatch } from "../policy-eval.js";
import type { NormalRequest, Principal } from "./request.js";
import { or, type Tri } from "./tri.js";
import { substitute } from "./variables.js";

export function actionCovered(s: Statement, action: string): boolean {
  if (s.NotAction !== undefined) return !asArray(s.NotAction).some((p) => actionMatches(p, action));
  return asArray(s.Action).some((p) => actionMatches(p, action));
}

/** Resource patterns may hold policy variables; an identity statement with no Resource covers nothing. */
export function resourceCovered(s: Statement, req: NormalRequest): Tri {
  const test = (patterns: string[]) =>
    or(
      patterns.map((p) => {
        const sub = substitute(p, req);
        return sub === undefined ? false : typeof sub === "object" ? sub : wildcardMatch(sub, req.resource);
      }),
    );
  if (s.NotResource !== undefined) {
    const hit = test(asArray(s.NotResource));
    return typeof hit === "object" ? hit : !hit;
  }
  // A resource-based policy statement may leave Resource out: it then applies to the resource it is attached to.
  if (s.Resource === undefined) return s.Principal !== undefined || s.NotPrincipal !== undefined;
  return test(asArray(s.Resource));
}

/** `arn:<partition>:iam::<account>:root` or a bare account ID: every principal of that account. */
const accountOf = (v: string): string | undefined =>
  /^\d{12}$/.test(v) ? v : /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(v)?.[1];

function principalListCovers(p: Statement["Principal"], who: Principal): boolean {
  if (p === undefined) return false;
  if (p === "*") return true;
  for (const [kind, raw] of Object.entries(p)) {
    for (const v of asArray(raw)) {
      if (kind === "AWS") {
        if (v === "*") return true;
        if (who.type !== "AWS") continue;
        const account = accountOf(v);
        if (account !== undefined ? account === who.account : v === who.arn || v === who.sessionArn) return true;
      } else if (kind === "Service" && who.type === "Service" && v.toLowerCase() === who.service?.toLowerCase()) {
        return true;
      }
    }
  }
  return false;
}

/** Whether a resource-policy statement names the caller; identity statements (no Principal) always do. */
export function principalCovered(s: Statement, who: Principal): boolean {
  if (s.NotPrincipal !== undefined) return !principalListCovers(s.NotPrincipal, who);
  if (s.Principal === undefined) return true;
  return principalListCovers(s.Principal, who);
}

/** Whether the statement names the caller itself (role or session ARN), not only its account. */
export function namesPrincipalDirectly(s: Statement, who: Principal): boolean {
  if (s.Principal === undefined || s.Principal === "*") return s.Principal === "*";
  return (
    asArray(s.Principal.AWS).some((v) => v === "*" || v === who.arn || v === who.sessionArn) ||
    (who.type === "Service" && asArray(s.Principal.Service).some((v) => v.toLowerCase() === who.service?.toLowerCase()))
  );
}
