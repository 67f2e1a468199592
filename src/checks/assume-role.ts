/**
 * Who may assume a role that a third party (a deputy: Cloudsmith, a SaaS SIEM) assumes for the
 * customer, as IAM would see each request. The deputy calls from its own account over TLS with
 * the External ID it issued; it is not in the customer's organization and has no MFA (those keys
 * are absent); what cannot be known about it (its source IP, VPC, user agent, the exact role or
 * session it calls from, the time) is unknowable, so a condition on it is undecided, never
 * guessed. The confused-deputy probes are the same for every such role.
 */
import type { Principal, Request } from "../iam/eval/request.js";
import { asArray, type PolicyDocument, type Statement } from "../iam/policies/types.js";

/** The role asked for: its ARN and the account it is in. */
export interface AssumeTarget {
  roleArn: string;
  account: string;
}

/** The third party the role is for, and how messages name it. */
export interface Deputy {
  /** Who calls: an account (`{ type: "AWS", account }`) or one role in it. */
  caller: Principal;
  /** "Cloudsmith's account" */
  name: string;
  /** "Cloudsmith's" (as in "in Cloudsmith's account") */
  possessive: string;
  /** "Cloudsmith": who issues the External ID. */
  issuer: string;
  /** "another Cloudsmith customer" */
  otherCustomer: string;
}

const DEPUTY_UNKNOWABLE = [
  "aws:SourceIp",
  "aws:SourceVpc",
  "aws:SourceVpce",
  "aws:VpcSourceIp",
  "aws:UserAgent",
  "aws:PrincipalArn",
  "aws:userid",
  "aws:username",
  "aws:CurrentTime",
  "aws:EpochTime",
  "aws:TokenIssueTime",
  "aws:RequestedRegion",
  "sts:RoleSessionName",
  "sts:SourceIdentity",
];

/** A caller in another account: its exact role is unknown, only its account. */
export const accountCaller = (account: string): Principal => ({ type: "AWS", account });

/** The STS actions a trust policy controls, besides sts:AssumeRole itself. */
export const OTHER_TRUST_ACTIONS = [
  "sts:AssumeRoleWithWebIdentity",
  "sts:AssumeRoleWithSAML",
  "sts:TagSession",
  "sts:SetSourceIdentity",
  "sts:SetContext",
] as const;

/** How a caller assumes a role: a federated provider through web identity or SAML, everyone else with AssumeRole. */
export function assumeActionOf(caller: Principal): string {
  if (caller.type !== "Federated") return "sts:AssumeRole";
  return /:saml-provider\//.test(caller.provider ?? "") ? "sts:AssumeRoleWithSAML" : "sts:AssumeRoleWithWebIdentity";
}

/** A federated caller's claims (`token.actions.githubusercontent.com:sub`) are its own to choose. */
const providerClaims = (caller: Principal): string[] => {
  if (caller.type !== "Federated" || !caller.provider) return [];
  const host = caller.provider.replace(/^arn:[^:]+:iam::\d{12}:(?:oidc|saml)-provider\//, "");
  return [`${host}:*`, "saml:*"];
};

export function assumeRoleRequest(
  target: AssumeTarget,
  caller: Principal,
  externalId: string | undefined,
  action = assumeActionOf(caller),
): Request {
  return {
    principal: caller,
    action,
    resource: target.roleArn,
    resourceAccount: target.account,
    context: {
      "aws:SecureTransport": "true",
      "aws:ViaAWSService": "false",
      "aws:PrincipalIsAWSService": caller.type === "Service" ? "true" : "false",
      ...(caller.type === "Service" ? { "aws:PrincipalServiceName": caller.service ?? "" } : {}),
      ...(caller.account ? { "aws:PrincipalAccount": caller.account, "aws:PrincipalType": "AssumedRole" } : {}),
      ...(externalId !== undefined ? { "sts:ExternalId": externalId } : {}),
    },
    unknowable: [
      ...DEPUTY_UNKNOWABLE,
      ...providerClaims(caller),
      // A service assumes roles on behalf of resources it names: which ones is not known.
      ...(caller.type === "Service"
        ? ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths"]
        : []),
    ],
  };
}

/** An account that is neither the deputy's nor the customer's. */
export const OTHER_ACCOUNT = "111122223333";

/** Every principal a policy names outside the given accounts, once each. */
export function namedCallers(
  doc: PolicyDocument,
  except: readonly string[],
): Array<{ who: string; caller: Principal }> {
  const out: Array<{ who: string; caller: Principal }> = [];
  for (const s of asArray(doc.Statement as Statement | Statement[])) {
    for (const p of [s.Principal, s.NotPrincipal]) {
      if (p === undefined || p === "*") continue;
      for (const v of asArray(p.AWS)) {
        const m = /^(?:arn:aws[a-z-]*:[a-z]+::)?(\d{12})(?::|$)/.exec(v);
        if (!m || except.includes(m[1]!)) continue;
        out.push({
          who: v,
          caller: /^\d{12}$|:root$/.test(v) ? accountCaller(m[1]!) : { type: "AWS", account: m[1], arn: v },
        });
      }
      for (const service of asArray(p.Service)) out.push({ who: service, caller: { type: "Service", service } });
      for (const provider of asArray(p.Federated)) out.push({ who: provider, caller: { type: "Federated", provider } });
    }
  }
  return out.filter((c, i) => out.findIndex((o) => o.who === c.who) === i);
}

export interface Probe {
  who: string;
  request: Request;
  /** A principal the trust policy itself names: a grant that hangs on its own claims counts as a grant. */
  named?: boolean;
}

/** Every sts:ExternalId value a policy's conditions name, whatever the operator. */
function externalIdsNamed(doc: PolicyDocument): string[] {
  return asArray(doc.Statement as Statement | Statement[]).flatMap((s) =>
    Object.values(s.Condition ?? {}).flatMap((byKey) =>
      Object.entries(byKey)
        .filter(([k]) => k.toLowerCase() === "sts:externalid")
        .flatMap(([, v]) => asArray(v as string | string[]).map(String)),
    ),
  );
}

/**
 * Values a wildcard pattern (`*` any run, `?` one character, `${*}` `${?}` `${$}` the characters
 * themselves) admits besides the issued ID: each `*` empty and filled, each `?` a character other
 * than the issued ID's there. A pattern with another policy variable gives none (its value is the
 * caller's). IAM User Guide, "IAM JSON policy elements: Condition operators" (StringLike) and
 * "IAM policy elements: Variables and tags" (special characters).
 */
export function valuesAdmittedBy(pattern: string, issued: string): string[] {
  const tokens: Array<{ literal: string } | { any: true } | { one: true }> = [];
  for (let i = 0; i < pattern.length; ) {
    const special = /^\$\{([*?$])\}/.exec(pattern.slice(i));
    if (special) {
      tokens.push({ literal: special[1]! });
      i += special[0].length;
    } else if (pattern.startsWith("${", i)) {
      return [];
    } else if (pattern[i] === "*") {
      tokens.push({ any: true });
      i++;
    } else if (pattern[i] === "?") {
      tokens.push({ one: true });
      i++;
    } else {
      tokens.push({ literal: pattern[i]! });
      i++;
    }
  }
  if (!tokens.some((t) => "any" in t || "one" in t)) return [];
  const build = (fill: string, position: (at: number) => string) => {
    let out = "";
    for (const t of tokens) {
      if ("literal" in t) out += t.literal;
      else if ("any" in t) out += fill;
      else out += position(out.length);
    }
    return out;
  };
  const otherThan = (c: string | undefined) => (c === "z" ? "y" : "z");
  const candidates = [
    build("", (at) => otherThan(issued[at])),
    build("-not-issued", (at) => otherThan(issued[at])),
    build("", () => "z"),
  ];
  return [...new Set(candidates)].filter((v) => v !== issued);
}

/** The sts:ExternalId values a trust policy names with a wildcard operator (StringLike, StringNotLike...). */
function externalIdPatterns(doc: PolicyDocument): string[] {
  return asArray(doc.Statement as Statement | Statement[]).flatMap((s) =>
    Object.entries(s.Condition ?? {})
      .filter(([op]) => /Like/i.test(op))
      .flatMap(([, byKey]) =>
        Object.entries(byKey)
          .filter(([k]) => k.toLowerCase() === "sts:externalid")
          .flatMap(([, v]) => asArray(v as string | string[]).map(String)),
      ),
  );
}

/**
 * The confused-deputy proof: the deputy's account without an External ID, with another customer's,
 * with every other External ID the trust policy names (each could be another customer's), with
 * values its wildcard patterns admit besides the issued one, and with the issued ID in another case.
 */
export function externalIdProbes(
  target: AssumeTarget,
  deputy: Deputy,
  externalId: string,
  trust: PolicyDocument,
): Probe[] {
  const others = [...new Set(externalIdsNamed(trust))].filter(
    (v) => v !== externalId && !v.includes("*") && !v.includes("?"),
  );
  const admitted = [...new Set(externalIdPatterns(trust))].flatMap((pattern) =>
    valuesAdmittedBy(pattern, externalId).map((v) => ({ pattern, v })),
  );
  const otherCase = externalId === externalId.toUpperCase() ? externalId.toLowerCase() : externalId.toUpperCase();
  return [
    ...others.map((v) => ({
      who: `${deputy.name} with the External ID "${v}", which is not the configured one`,
      request: assumeRoleRequest(target, deputy.caller, v),
    })),
    {
      who: `${deputy.name} without an External ID`,
      request: assumeRoleRequest(target, deputy.caller, undefined),
    },
    // A statement naming one role or user of the deputy's account: whichever one calls, it must
    // not get in without the External ID (the confused deputy is the deputy, whoever acts for it).
    ...namedCallers(trust, [])
      .filter(
        ({ caller }) =>
          caller.account === deputy.caller.account && caller.arn !== undefined && caller.arn !== deputy.caller.arn,
      )
      .map(({ who, caller }) => ({
        who: `${who} (in ${deputy.possessive} account) without an External ID`,
        request: assumeRoleRequest(target, caller, undefined),
      })),
    {
      who: `${deputy.name} with another External ID (${deputy.otherCustomer})`,
      request: assumeRoleRequest(target, deputy.caller, `${externalId}-other`),
    },
    ...admitted.map(({ pattern, v }) => ({
      who: `${deputy.name} with the External ID "${v}", which the pattern "${pattern}" admits (not the configured one)`,
      request: assumeRoleRequest(target, deputy.caller, v),
    })),
    ...(otherCase !== externalId
      ? [
          {
            who: `${deputy.name} with the External ID in another case ("${otherCase}"), which ${deputy.issuer} never issued,`,
            request: assumeRoleRequest(target, deputy.caller, otherCase),
          },
        ]
      : []),
  ];
}

/**
 * Everyone but the deputy's account, each with the right External ID (the worst case): an unrelated
 * account, an anonymous caller, and every other principal the trust policy names.
 */
export function otherPrincipalProbes(
  target: AssumeTarget,
  deputy: Deputy,
  externalId: string,
  trust: PolicyDocument,
): Probe[] {
  return [
    {
      who: `another account (${OTHER_ACCOUNT})`,
      request: assumeRoleRequest(target, accountCaller(OTHER_ACCOUNT), externalId),
    },
    { who: "an anonymous caller", request: assumeRoleRequest(target, { type: "Anonymous" }, externalId) },
    ...namedCallers(trust, [deputy.caller.account!]).map(({ who, caller }) => ({
      who,
      request: assumeRoleRequest(target, caller, externalId),
      named: true,
    })),
  ];
}
