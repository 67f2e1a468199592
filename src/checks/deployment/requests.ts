/**
 * The concrete requests the verdicts are about, as IAM would see them.
 * Cloudsmith assumes the role from its own account (884446598447) over TLS
 * with the issued External ID; it is not in the customer's organization and
 * has no MFA (those keys are absent); what cannot be known about it (its
 * source IP, VPC, user agent, the exact role or session it calls from, the
 * time) is unknowable, so a condition on it is undecided, never guessed.
 */
import { CLOUDSMITH_ACCOUNT_ID, roleArn } from "../../config/derived.js";
import type { Config } from "../../config/schema.js";
import { OUTSIDER_UNKNOWABLE, type Principal, type Request } from "../../iam/eval/request.js";
import { asArray, type PolicyDocument, type Statement } from "../../iam/policies/types.js";

const CLOUDSMITH_UNKNOWABLE = [
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
const accountCaller = (account: string): Principal => ({ type: "AWS", account });

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
  cfg: Config,
  caller: Principal,
  externalId: string | undefined,
  action = assumeActionOf(caller),
): Request {
  return {
    principal: caller,
    action,
    resource: roleArn(cfg),
    resourceAccount: cfg.accountId,
    context: {
      "aws:SecureTransport": "true",
      "aws:ViaAWSService": "false",
      "aws:PrincipalIsAWSService": caller.type === "Service" ? "true" : "false",
      ...(caller.type === "Service" ? { "aws:PrincipalServiceName": caller.service ?? "" } : {}),
      ...(caller.account ? { "aws:PrincipalAccount": caller.account, "aws:PrincipalType": "AssumedRole" } : {}),
      ...(externalId !== undefined ? { "sts:ExternalId": externalId } : {}),
    },
    unknowable: [
      ...CLOUDSMITH_UNKNOWABLE,
      ...providerClaims(caller),
      // A service assumes roles on behalf of resources it names: which ones is not known.
      ...(caller.type === "Service"
        ? ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths"]
        : []),
    ],
  };
}

/** Cloudsmith's own request, with the configured External ID. */
export const cloudsmithAssumeRole = (cfg: Config, externalId: string): Request =>
  assumeRoleRequest(cfg, accountCaller(CLOUDSMITH_ACCOUNT_ID), externalId);

/** An account that is neither Cloudsmith's nor the customer's. */
export const OTHER_ACCOUNT = "111122223333";

/** Every principal a policy names outside the given accounts (by default all but Cloudsmith's), once each. */
export function namedCallers(
  doc: PolicyDocument,
  except: readonly string[] = [CLOUDSMITH_ACCOUNT_ID],
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
 * The confused-deputy proof: Cloudsmith's account without an External ID, with another customer's,
 * with every other External ID the trust policy names (each could be another customer's), with
 * values its wildcard patterns admit besides the issued one, and with the issued ID in another case.
 */
export function externalIdProbes(cfg: Config, externalId: string, trust: PolicyDocument): Probe[] {
  const others = [...new Set(externalIdsNamed(trust))].filter(
    (v) => v !== externalId && !v.includes("*") && !v.includes("?"),
  );
  const admitted = [...new Set(externalIdPatterns(trust))].flatMap((pattern) =>
    valuesAdmittedBy(pattern, externalId).map((v) => ({ pattern, v })),
  );
  const otherCase = externalId === externalId.toUpperCase() ? externalId.toLowerCase() : externalId.toUpperCase();
  return [
    ...others.map((v) => ({
      who: `Cloudsmith's account with the External ID "${v}", which is not the configured one`,
      request: assumeRoleRequest(cfg, accountCaller(CLOUDSMITH_ACCOUNT_ID), v),
    })),
    {
      who: "Cloudsmith's account without an External ID",
      request: assumeRoleRequest(cfg, accountCaller(CLOUDSMITH_ACCOUNT_ID), undefined),
    },
    // A statement naming one role or user of Cloudsmith's account: whichever one calls, it must
    // not get in without the External ID (the confused deputy is Cloudsmith, whoever acts for it).
    ...namedCallers(trust, [])
      .filter(({ caller }) => caller.account === CLOUDSMITH_ACCOUNT_ID && caller.arn !== undefined)
      .map(({ who, caller }) => ({
        who: `${who} (in Cloudsmith's account) without an External ID`,
        request: assumeRoleRequest(cfg, caller, undefined),
      })),
    {
      who: "Cloudsmith's account with another External ID (another Cloudsmith customer)",
      request: assumeRoleRequest(cfg, accountCaller(CLOUDSMITH_ACCOUNT_ID), `${externalId}-other`),
    },
    ...admitted.map(({ pattern, v }) => ({
      who: `Cloudsmith's account with the External ID "${v}", which the pattern "${pattern}" admits (not the configured one)`,
      request: assumeRoleRequest(cfg, accountCaller(CLOUDSMITH_ACCOUNT_ID), v),
    })),
    ...(otherCase !== externalId
      ? [
          {
            who: `Cloudsmith's account with the External ID in another case ("${otherCase}"), which Cloudsmith never issued,`,
            request: assumeRoleRequest(cfg, accountCaller(CLOUDSMITH_ACCOUNT_ID), otherCase),
          },
        ]
      : []),
  ];
}

/**
 * Everyone but Cloudsmith's account, each with the right External ID (the worst case): an unrelated
 * account, an anonymous caller, and every other principal the trust policy names.
 */
export function otherPrincipalProbes(cfg: Config, externalId: string, trust: PolicyDocument): Probe[] {
  return [
    {
      who: `another account (${OTHER_ACCOUNT})`,
      request: assumeRoleRequest(cfg, accountCaller(OTHER_ACCOUNT), externalId),
    },
    { who: "an anonymous caller", request: assumeRoleRequest(cfg, { type: "Anonymous" }, externalId) },
    ...namedCallers(trust).map(({ who, caller }) => ({
      who,
      request: assumeRoleRequest(cfg, caller, externalId),
      named: true,
    })),
  ];
}

/** Cloudsmith's account, with the External ID, asking for what a trust policy controls besides sts:AssumeRole. */
export const otherTrustActionProbes = (cfg: Config, externalId: string): Probe[] =>
  OTHER_TRUST_ACTIONS.map((action) => ({
    who: action,
    request: assumeRoleRequest(cfg, accountCaller(CLOUDSMITH_ACCOUNT_ID), externalId, action),
  }));

/** What cannot be known about the role's own writes: they come from Cloudsmith's network, at any time. */
const WRITER_UNKNOWABLE = [
  "aws:SourceIp",
  "aws:UserAgent",
  "aws:CurrentTime",
  "aws:EpochTime",
  "aws:TokenIssueTime",
  "aws:userid",
  // The customer's organization is not in the config: a condition on it cannot be decided.
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:ResourceOrgID",
  "aws:ResourceOrgPaths",
];

/** The role's session writing one object (PutObject or PutObjectAcl) with the bucket-owner-full-control ACL, over TLS, no encryption header. */
/** The role's tags, as its sessions carry them: aws:PrincipalTag/<key> (IAM User Guide, "aws:PrincipalTag"). */
export type RoleTags = Record<string, string> | "unknown" | undefined;

export function roleWrite(cfg: Config, action: string, objectArn: string, tags?: RoleTags): Request {
  const tagContext =
    tags && tags !== "unknown"
      ? Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v]))
      : {};
  return {
    // No sessionArn: Cloudsmith chooses the session name, so a statement naming one session is undecided.
    principal: { type: "AWS", account: cfg.accountId, arn: roleArn(cfg) },
    action,
    resource: objectArn,
    resourceAccount: cfg.accountId,
    context: {
      "aws:PrincipalArn": roleArn(cfg),
      "aws:PrincipalAccount": cfg.accountId,
      "aws:PrincipalType": "AssumedRole",
      "aws:ResourceAccount": cfg.accountId,
      "aws:SecureTransport": "true",
      "aws:PrincipalIsAWSService": "false",
      "aws:ViaAWSService": "false",
      "s3:x-amz-acl": "bucket-owner-full-control",
      ...tagContext,
    },
    unknowable: tags === "unknown" ? [...WRITER_UNKNOWABLE, "aws:PrincipalTag/*"] : WRITER_UNKNOWABLE,
  };
}

/**
 * The role's session asking KMS for a data key as S3 does for an SSE-KMS write
 * (AWS KMS Developer Guide, "kms:ViaService" and "Encryption context"): via
 * S3 in the bucket's region, with the object's ARN as encryption context (the bucket's ARN
 * with an S3 Bucket Key: Amazon S3 User Guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket
 * Keys").
 */
export function roleDataKey(cfg: Config, keyArn: string, contextArn: string, tags?: RoleTags): Request {
  const write = roleWrite(cfg, "kms:GenerateDataKey", keyArn, tags);
  const { "s3:x-amz-acl": _acl, ...context } = write.context;
  return {
    ...write,
    context: {
      ...context,
      "aws:ViaAWSService": "true",
      "kms:ViaService": `s3.${cfg.region}.amazonaws.com`,
      "kms:CallerAccount": cfg.accountId,
      "kms:EncryptionContext:aws:s3:arn": contextArn,
      "kms:EncryptionContextKeys": ["aws:s3:arn"],
    },
  };
}

/** Someone calling S3 on the bucket: an AWS principal, a service acting for an account, or anonymous. */
export function s3Request(
  cfg: Config,
  caller: Principal,
  action: string,
  resource: string,
  context: Record<string, string> = {},
): Request {
  const aws = caller.type === "AWS";
  return {
    principal: caller,
    action,
    resource,
    resourceAccount: cfg.accountId,
    context: {
      "aws:SecureTransport": "true",
      "aws:ResourceAccount": cfg.accountId,
      "aws:PrincipalIsAWSService": caller.type === "Service" ? "true" : "false",
      "aws:ViaAWSService": "false",
      ...(aws && caller.account ? { "aws:PrincipalAccount": caller.account } : {}),
      ...(aws && caller.arn ? { "aws:PrincipalArn": caller.arn } : {}),
      ...(caller.type === "Service"
        ? { "aws:SourceAccount": OTHER_ACCOUNT, "aws:PrincipalServiceName": caller.service ?? "" }
        : {}),
      ...context,
    },
    // An outsider is in no organization of the customer's: its organization keys are absent.
    unknowable: aws && caller.account === cfg.accountId ? WRITER_UNKNOWABLE : OUTSIDER_UNKNOWABLE,
  };
}

/** A role in an account outside the customer's (and outside its organization). */
export const OUTSIDER: Principal = {
  type: "AWS",
  account: OTHER_ACCOUNT,
  arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/outsider`,
};

/**
 * Everyone outside the account a bucket policy must refuse: an anonymous caller, a role in an
 * unrelated account, every principal of another account the policy names, and every service it
 * names acting for another account (its aws:SourceAccount and aws:SourceArn are not ours).
 */
export function outsiders(cfg: Config, policy: PolicyDocument): Array<{ who: string; caller: Principal }> {
  const named = namedCallers(policy, [cfg.accountId]);
  return [
    { who: "an anonymous caller", caller: { type: "Anonymous" } },
    { who: `a role in another account (${OTHER_ACCOUNT})`, caller: OUTSIDER },
    ...named
      .filter(({ caller }) => caller.type !== "Federated")
      .map(({ who, caller }) => ({
        who: caller.type === "Service" ? `${who} acting for another account` : who,
        caller,
      })),
  ];
}
