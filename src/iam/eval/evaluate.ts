/**
 * IAM's policy evaluation logic (IAM User Guide, "Policy evaluation logic"
 * and "Cross-account policy evaluation logic"), three-valued:
 * 1. an explicit Deny in any policy wins;
 * 2. within one account, an Allow in an identity policy or a resource policy
 *    that names the caller (an account-wide grant needs the identity policy
 *    too), intersected with the permissions boundary when there is one,
 *    except a resource-policy grant naming the role session or IAM user
 *    itself, which the boundary does not limit;
 * 3. across accounts, both the caller's identity policies and the resource
 *    policy must allow;
 * 4. otherwise the request is implicitly denied.
 * The account's root user is allowed in its own account unless a Deny applies.
 * Service control policies, resource control policies, session policies and
 * VPC endpoint policies are not modelled: a caller passes only policies this
 * tool can read.
 */
import { asArray, type PolicyDocument, type Statement } from "../policies/types.js";
import { compilePolicy } from "./compiled.js";
import { evaluateConditions, unmetCondition } from "./conditions.js";
import {
  actionCovered,
  namesCallerDirectly,
  type PrincipalEntries,
  principalCovered,
  resourceCovered,
} from "./match.js";
import { type NormalRequest, normalise, type Request } from "./request.js";
import { and, isUndecided, not, or, type Tri, type Undecided } from "./tri.js";
import { describeStatement } from "./wildcard.js";

/** A policy with a name a user recognises: "inline policy X", a managed policy ARN, "the bucket policy of s3://b". */
export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

export interface PolicySet {
  /** The caller's identity policies; `undefined` when they are outside this account's view (they are taken to allow). */
  identity?: readonly NamedPolicy[];
  /** The caller's permissions boundary, when it has one. */
  boundary?: NamedPolicy;
  /** The resource's policy (a bucket policy, a trust policy, a key policy). */
  resource?: NamedPolicy;
  /**
   * A KMS key policy (AWS KMS Developer Guide, "Key policies"): unlike other resource policies it
   * must allow the request itself, either naming the caller or delegating to the account's IAM
   * policies through the account principal, and then the identity policy must allow too.
   */
  resourceMustAllow?: boolean;
}

export interface StatementRef {
  policy: string;
  /** The Sid, else the 1-based position in its policy: `statement "Sid"` or `statement #2`. */
  statement: string;
  /** The Action pattern that matched (`s3:Put*`), or `NotAction` when the statement grants by exclusion. */
  via: string;
}

export interface Decision {
  allowed: Tri;
  /** Whether an explicit Deny applies, whatever the Allows say. */
  denied: Tri;
  decision: "allow" | "explicit-deny" | "implicit-deny" | "undecided";
  /** The Deny statements that apply (explicit-deny). */
  deniedBy: StatementRef[];
  /** The Allow statements that grant the request. */
  allowedBy: StatementRef[];
  /** On an implicit deny: an Allow that names the request but whose condition it does not meet. */
  unmet?: StatementRef & { condition: string };
  /** What could not be decided, with the policy and statement it is in, and whether that statement allows or denies. */
  undecided?: Undecided & StatementRef & { effect: "Allow" | "Deny" };
}

interface Hit extends StatementRef {
  applies: Tri;
  effect: "Allow" | "Deny";
  /** A resource-policy grant to the caller itself (its session or IAM user ARN), not through its role. */
  direct?: boolean;
}

/** An Allow that covers the request but for its Condition. */
function nearMiss(policy: NamedPolicy, req: NormalRequest): (StatementRef & { condition: string }) | undefined {
  const statements = asArray(policy.document.Statement as Statement | Statement[]);
  for (const [i, s] of statements.entries()) {
    const via = s.Effect === "Allow" ? actionCovered(s, req.action) : undefined;
    if (via === undefined || principalCovered(s, req.principal) !== true || resourceCovered(s, req) !== true) continue;
    const condition = unmetCondition(s.Condition as never, req);
    if (condition) return { policy: policy.name, statement: describeStatement(s, i), via, condition };
  }
  return undefined;
}

function hits(
  policy: NamedPolicy,
  effect: "Allow" | "Deny",
  req: NormalRequest,
  entries: PrincipalEntries = "all",
  callerHasBoundary = false,
): Hit[] {
  // Only the statements that cover the action and may cover the resource (compiled.ts); each still checked in full.
  return compilePolicy(policy.document)
    .candidates(effect, req.action, req.resource)
    .flatMap(({ s: { statement: s, name }, via }): Hit[] => {
      const applies = and([
        principalCovered(s, req.principal, entries, { callerHasBoundary }),
        resourceCovered(s, req),
        evaluateConditions(s.Condition as never, req),
      ]);
      return applies === false
        ? []
        : [
            {
              policy: policy.name,
              statement: name,
              via,
              applies,
              effect,
              direct: namesCallerDirectly(s, req.principal),
            },
          ];
    });
}

const anyHit = (hs: Hit[]): Tri => or(hs.map((h) => h.applies));

export function evaluateRequest(request: Request, policies: PolicySet): Decision {
  const req = normalise(request);
  const all = [
    ...(policies.identity ?? []),
    ...(policies.boundary ? [policies.boundary] : []),
    ...(policies.resource ? [policies.resource] : []),
  ];
  const denies = all.flatMap((p) => hits(p, "Deny", req, "all", policies.boundary !== undefined));
  const identityAllows = (policies.identity ?? []).flatMap((p) => hits(p, "Allow", req));
  const boundaryAllows = policies.boundary ? hits(policies.boundary, "Allow", req) : [];
  const who = req.principal;
  const sameAccount = who.type === "AWS" && who.account === req.resourceAccount;
  // Within one account, a grant to the whole account still needs the caller's identity policy:
  // only the entries beyond the account (a role, a session, a user, *) grant by themselves.
  const resourceAllows = policies.resource
    ? hits(policies.resource, "Allow", req, sameAccount ? "beyond-account" : "all")
    : [];
  // A key policy's grant to the account root delegates to the identity policies.
  const delegations =
    policies.resource && policies.resourceMustAllow && sameAccount
      ? hits(policies.resource, "Allow", req, "account")
      : [];

  // The account's root user has every permission in its own account: only an explicit Deny (in a
  // resource policy, or an SCP/RCP this tool does not read) limits it.
  const root = sameAccount && who.arn !== undefined && /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(who.arn);
  const identity: Tri = policies.identity === undefined || root ? true : anyHit(identityAllows);
  const boundary: Tri = policies.boundary && !root ? anyHit(boundaryAllows) : true;
  const resource = anyHit(resourceAllows);
  let allow: Tri;
  if (who.type !== "AWS") allow = resource;
  else if (policies.resourceMustAllow && sameAccount)
    allow = and([or([resource, and([anyHit(delegations), identity])]), boundary]);
  else if (sameAccount) {
    // A grant naming the role session or the IAM user itself is not cut by the boundary; one to the
    // role ARN (or the account, through the identity policy) is.
    const direct = anyHit(resourceAllows.filter((h) => h.direct));
    allow = or([and([or([identity, resource]), boundary]), direct]);
  } else allow = and([identity, boundary, resource]);

  const denied = anyHit(denies);
  const allowed = and([not(denied), allow]);
  const decision: Decision["decision"] =
    denied === true ? "explicit-deny" : allowed === true ? "allow" : allowed === false ? "implicit-deny" : "undecided";
  const granted = [...identityAllows, ...resourceAllows, ...delegations].filter((h) => h.applies === true);
  // Undecided only ever comes from a statement that may apply: name it, a Deny first.
  const open = isUndecided(allowed)
    ? [...denies, ...identityAllows, ...boundaryAllows, ...resourceAllows].find((h) => isUndecided(h.applies))
    : undefined;
  let unmet: { value: Decision["unmet"] } | undefined;
  return {
    allowed,
    denied,
    decision,
    deniedBy: denies
      .filter((h) => h.applies === true)
      .map(({ policy, statement, via }) => ({ policy, statement, via })),
    allowedBy: granted.map(({ policy, statement, via }) => ({ policy, statement, via })),
    // Only a message reads it, and rules ask thousands of questions: found on first read, once.
    get unmet() {
      if (decision !== "implicit-deny") return undefined;
      unmet ??= { value: all.map((p) => nearMiss(p, req)).find((m) => m !== undefined) };
      return unmet.value;
    },
    ...(open && isUndecided(open.applies)
      ? {
          undecided: {
            ...open.applies,
            policy: open.policy,
            statement: open.statement,
            via: open.via,
            effect: open.effect,
          },
        }
      : {}),
  };
}
