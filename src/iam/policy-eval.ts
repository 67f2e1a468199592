/**
 * Just enough IAM policy evaluation for the rules: wildcard matching of
 * actions and resources, principals, and which statements apply to a request.
 * Conditions are not evaluated: a conditional Allow is not counted as a grant,
 * and a conditional Deny counts as a possible block (except the TLS-only deny).
 */
import { asArray, type PolicyDocument, type Statement } from "./policies/types.js";

const regexCache = new Map<string, RegExp>();

/** IAM wildcards: `*` any run, `?` one character. Actions compare case-insensitively, ARNs exactly. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const key = `${caseInsensitive ? "i" : "s"}:${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
    regexCache.set(key, re);
  }
  return re.test(value);
}

export const actionMatches = (pattern: string, action: string): boolean => wildcardMatch(pattern, action, true);

export function statementCoversAction(s: Statement, action: string): boolean {
  if (s.NotAction !== undefined) return !asArray(s.NotAction).some((p) => actionMatches(p, action));
  return asArray(s.Action).some((p) => actionMatches(p, action));
}

export function statementCoversResource(s: Statement, resource: string): boolean {
  if (s.NotResource !== undefined) return !asArray(s.NotResource).some((p) => wildcardMatch(p, resource));
  return asArray(s.Resource).some((p) => wildcardMatch(p, resource));
}

export const hasCondition = (s: Statement): boolean => s.Condition !== undefined && Object.keys(s.Condition).length > 0;

/** A Deny that only applies to plain-HTTP requests: it never blocks Cloudsmith, which uses TLS. */
export function isTlsOnlyCondition(s: Statement): boolean {
  const c = s.Condition ?? {};
  const keys = Object.keys(c);
  if (keys.length !== 1 || keys[0] !== "Bool") return false;
  const bool = c.Bool ?? {};
  const entries = Object.entries(bool);
  return (
    entries.length === 1 &&
    entries[0]![0].toLowerCase() === "aws:securetransport" &&
    asArray(entries[0]![1]).every((v) => String(v) === "false")
  );
}

export interface RequestContext {
  action: string;
  resource: string;
  /** The calling principal (for resource policies). */
  principalArn?: string;
  principalAccount?: string;
}

/** Whether a resource-policy statement's principal covers the caller. */
export function principalMatches(s: Statement, ctx: RequestContext): boolean {
  const ids = [ctx.principalArn, ctx.principalAccount].filter(Boolean) as string[];
  // The account root in any partition (aws, aws-cn, aws-us-gov) stands for every principal of the account.
  const isAccountRoot = (v: string) =>
    ctx.principalAccount !== undefined && new RegExp(`^arn:aws[a-z-]*:iam::${ctx.principalAccount}:root$`).test(v);
  const covers = (p: Statement["Principal"]): boolean => {
    if (p === undefined) return false;
    if (p === "*") return true;
    return asArray(p.AWS).some((v) => v === "*" || ids.includes(v) || isAccountRoot(v));
  };
  if (s.NotPrincipal !== undefined) return !covers(s.NotPrincipal);
  // Identity policies have no Principal: they apply to their holder.
  if (s.Principal === undefined) return true;
  return covers(s.Principal);
}

export const statementsOf = (docs: readonly PolicyDocument[]): Statement[] =>
  docs.flatMap((d) => asArray(d.Statement as Statement | Statement[]));

/** Allow statements that grant the request with no condition attached. */
export const unconditionalAllows = (docs: readonly PolicyDocument[], ctx: RequestContext): Statement[] =>
  statementsOf(docs).filter(
    (s) =>
      s.Effect === "Allow" &&
      !hasCondition(s) &&
      statementCoversAction(s, ctx.action) &&
      statementCoversResource(s, ctx.resource) &&
      principalMatches(s, ctx),
  );

/** Deny statements that (may) block the request; the TLS-only deny is ignored. */
export const blockingDenies = (docs: readonly PolicyDocument[], ctx: RequestContext): Statement[] =>
  statementsOf(docs).filter(
    (s) =>
      s.Effect === "Deny" &&
      !isTlsOnlyCondition(s) &&
      statementCoversAction(s, ctx.action) &&
      statementCoversResource(s, ctx.resource) &&
      principalMatches(s, ctx),
  );

/** Human-readable name of a statement for messages. */
export const describeStatement = (s: Statement, index?: number): string =>
  s.Sid ? `statement "${s.Sid}"` : `statement #${(index ?? 0) + 1}`;
