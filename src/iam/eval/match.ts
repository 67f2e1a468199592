/**
 * Which requests a statement's Principal, Action and Resource cover (IAM User
 * Guide, "IAM JSON policy elements": Principal, NotPrincipal, Action,
 * NotAction, Resource, NotResource). Actions compare case-insensitively,
 * resources case-sensitively, both with `*` and `?` wildcards.
 */

import { asArray, type Statement } from "../policies/types.js";
import type { NormalRequest, Principal } from "./request.js";
import { not, or, type Tri, undecided } from "./tri.js";
import { substitute } from "./variables.js";
import { actionMatches, wildcardMatch } from "./wildcard.js";

/** The Action pattern that covers the action (`"NotAction"` when the statement grants by exclusion), else undefined. */
export function actionCovered(s: Statement, action: string): string | undefined {
  if (s.NotAction !== undefined)
    return asArray(s.NotAction).some((p) => actionMatches(p, action)) ? undefined : "NotAction";
  return asArray(s.Action).find((p) => actionMatches(p, action));
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

/** `arn:<partition>:iam::<account>:role/<path/>name` -> the session ARN prefix `arn:<partition>:sts::<account>:assumed-role/<name>/`. */
const sessionPrefix = (roleArn: string): string | undefined => {
  const m = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return m ? `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/` : undefined;
};

/** Whether one AWS principal value names the caller; undecided where the caller's exact identity is not known. */
function awsValueCovers(v: string, who: Principal): Tri {
  if (v === "*") return true;
  if (who.type !== "AWS") return false;
  const account = accountOf(v);
  if (account !== undefined) return account === who.account;
  if (v === who.arn || (who.sessionArn !== undefined && v === who.sessionArn)) return true;
  // A session of the caller's role whose session name the request does not fix (Cloudsmith chooses it).
  const prefix = who.arn ? sessionPrefix(who.arn) : undefined;
  if (prefix && who.sessionArn === undefined && v.startsWith(prefix)) {
    return undecided("the role session name", `${v} names one session of the role, and the session name is not known`);
  }
  // A caller known only by its account may be the principal this ARN names.
  if (who.arn === undefined && who.account !== undefined && v.includes(`::${who.account}:`)) {
    return undecided(
      "the caller's principal",
      `${v} names one principal of account ${who.account}, and which one calls is not known`,
    );
  }
  return false;
}

/** A long Principal list by the account each value names ("" for none): a value of another account never names the caller. */
const valuesByAccount = new WeakMap<readonly string[], Map<string, string[]>>();

/**
 * The values of one Principal kind worth checking for this caller. Every AWS value that could name
 * the caller holds the caller's account (its root, ARN, session) or no account at all (`*`); in a
 * long list only those are checked, so a statement naming thousands of accounts stays cheap.
 */
function valuesFor(kind: string, raw: string | string[], who: Principal): string[] {
  const values = asArray(raw);
  if (kind !== "AWS" || !Array.isArray(raw) || values.length <= 16) return values;
  let index = valuesByAccount.get(raw);
  if (!index) {
    index = new Map();
    for (const v of values) {
      const account = /(\d{12})/.exec(v)?.[1] ?? "";
      index.set(account, [...(index.get(account) ?? []), v]);
    }
    valuesByAccount.set(raw, index);
  }
  return [...(index.get("") ?? []), ...(who.account ? (index.get(who.account) ?? []) : [])];
}

/**
 * Which entries of a Principal count: all, only those beyond an account (a role, a user, a session,
 * a service, `*`), or only account entries (the root or a bare ID). Each entry is its own grant:
 * within one account an account entry delegates to the account's own policies, and naming a role
 * beside it does not make it a direct grant to everyone in the account (IAM User Guide, "AWS JSON
 * policy elements: Principal", AWS account principals).
 */
export type PrincipalEntries = "all" | "beyond-account" | "account";

function principalListCovers(p: Statement["Principal"], who: Principal, entries: PrincipalEntries = "all"): Tri {
  if (p === undefined) return false;
  if (p === "*") return entries !== "account";
  return or(
    Object.entries(p).flatMap(([kind, raw]) =>
      valuesFor(kind, raw, who)
        .filter((v) => {
          if (entries === "all") return true;
          const isAccount = kind === "AWS" && accountOf(v) !== undefined;
          return entries === "account" ? isAccount : !isAccount;
        })
        .map((v): Tri => {
          if (kind === "AWS") return awsValueCovers(v, who);
          if (kind === "Federated") return who.type === "Federated" && v === who.provider;
          return kind === "Service" && who.type === "Service" && v.toLowerCase() === who.service?.toLowerCase();
        }),
    ),
  );
}

/**
 * Whether a NotPrincipal list spares the caller (IAM User Guide, "AWS JSON policy elements:
 * NotPrincipal"): "you must also specify the account ARN of the not-denied principal ... AWS
 * verifies the account, then the role, then the assumed-role user". A role session or user is
 * spared when its account and its role (or session) or user ARN are both listed; a caller known
 * only by its account, when the account is; a service or provider, when it is listed.
 */
function notPrincipalSpares(p: Statement["NotPrincipal"], who: Principal): Tri {
  if (p === undefined || p === "*") return p === "*";
  if (who.type !== "AWS") return principalListCovers(p, who);
  const aws = asArray(p.AWS);
  const accountListed = who.account !== undefined && aws.some((v) => accountOf(v) === who.account);
  if (who.arn === undefined) {
    if (accountListed) return true;
    return aws.some((v) => who.account !== undefined && v.includes(`::${who.account}:`))
      ? undecided(
          "the caller's principal",
          `NotPrincipal lists principals of account ${who.account}, and which one calls is not known`,
        )
      : false;
  }
  const ownListed = aws.some((v) => v === who.arn || (who.sessionArn !== undefined && v === who.sessionArn));
  return accountListed && ownListed;
}

/** Whether a resource-policy statement names the caller; identity statements (no Principal) always do. */
export function principalCovered(
  s: Statement,
  who: Principal,
  entries: PrincipalEntries = "all",
  opts: { callerHasBoundary?: boolean } = {},
): Tri {
  // Everyone but the listed. With Deny it always denies a principal that has a permissions
  // boundary, whatever it lists (access_policies_boundaries); it never grants to the caller itself.
  if (s.NotPrincipal !== undefined) {
    if (entries === "beyond-account") return false;
    if (s.Effect === "Deny" && who.type === "AWS" && opts.callerHasBoundary) return true;
    return not(notPrincipalSpares(s.NotPrincipal, who));
  }
  if (s.Principal === undefined) return entries !== "beyond-account";
  return principalListCovers(s.Principal, who, entries);
}

/**
 * Whether a resource-policy statement names the caller itself, not through its role: the exact
 * role session ARN, or the IAM user. Within one account such a grant is not limited by the
 * caller's permissions boundary; a grant to the role ARN is (IAM User Guide, "Policy evaluation
 * logic", "Identity-based policies with resource-based policies" and "Permissions boundaries").
 */
export function namesCallerDirectly(s: Statement, who: Principal): boolean {
  if (who.type !== "AWS" || s.Principal === undefined || s.Principal === "*") return false;
  return asArray(s.Principal.AWS).some(
    (v) =>
      (who.sessionArn !== undefined && v === who.sessionArn) || (who.arn?.includes(":user/") === true && v === who.arn),
  );
}
