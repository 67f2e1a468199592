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
import type { Principal, Request } from "../../iam/eval/request.js";
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

export function assumeRoleRequest(cfg: Config, caller: Principal, externalId: string | undefined): Request {
  return {
    principal: caller,
    action: "sts:AssumeRole",
    resource: roleArn(cfg),
    resourceAccount: cfg.accountId,
    context: {
      "aws:SecureTransport": "true",
      "aws:ViaAWSService": "false",
      "aws:PrincipalIsAWSService": caller.type === "Service" ? "true" : "false",
      ...(caller.account ? { "aws:PrincipalAccount": caller.account, "aws:PrincipalType": "AssumedRole" } : {}),
      ...(externalId !== undefined ? { "sts:ExternalId": externalId } : {}),
    },
    unknowable: CLOUDSMITH_UNKNOWABLE,
  };
}

/** Cloudsmith's own request, with the configured External ID. */
export const cloudsmithAssumeRole = (cfg: Config, externalId: string): Request =>
  assumeRoleRequest(cfg, accountCaller(CLOUDSMITH_ACCOUNT_ID), externalId);

/** An account that is neither Cloudsmith's nor the customer's. */
export const OTHER_ACCOUNT = "111122223333";

/** Every principal the trust policy names other than Cloudsmith's account: each must be refused too. */
function namedCallers(trust: PolicyDocument): Array<{ who: string; caller: Principal }> {
  const out: Array<{ who: string; caller: Principal }> = [];
  for (const s of asArray(trust.Statement as Statement | Statement[])) {
    for (const p of [s.Principal, s.NotPrincipal]) {
      if (p === undefined || p === "*") continue;
      for (const v of asArray(p.AWS)) {
        const m = /^(?:arn:aws[a-z-]*:[a-z]+::)?(\d{12})(?::|$)/.exec(v);
        if (!m || m[1] === CLOUDSMITH_ACCOUNT_ID) continue;
        out.push({
          who: v,
          caller: /^\d{12}$|:root$/.test(v) ? accountCaller(m[1]!) : { type: "AWS", account: m[1], arn: v },
        });
      }
      for (const service of asArray(p.Service)) out.push({ who: service, caller: { type: "Service", service } });
    }
  }
  return out;
}

/**
 * The requests that must be denied (the confused-deputy proof): Cloudsmith's account without an
 * External ID or with another customer's, an unrelated account, an anonymous caller, and every
 * other principal the trust policy names, each with the right External ID (the worst case).
 */
export function outsiderAssumeRoles(
  cfg: Config,
  externalId: string,
  trust: PolicyDocument,
): Array<{ who: string; request: Request }> {
  return [
    {
      who: "Cloudsmith's account without an External ID",
      request: assumeRoleRequest(cfg, accountCaller(CLOUDSMITH_ACCOUNT_ID), undefined),
    },
    {
      who: "Cloudsmith's account with another External ID (another Cloudsmith customer)",
      request: assumeRoleRequest(cfg, accountCaller(CLOUDSMITH_ACCOUNT_ID), `${externalId}-other`),
    },
    {
      who: `another account (${OTHER_ACCOUNT}) with the right External ID`,
      request: assumeRoleRequest(cfg, accountCaller(OTHER_ACCOUNT), externalId),
    },
    { who: "an anonymous caller", request: assumeRoleRequest(cfg, { type: "Anonymous" }, externalId) },
    ...namedCallers(trust).map(({ who, caller }) => ({ who, request: assumeRoleRequest(cfg, caller, externalId) })),
  ];
}

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
export function roleWrite(cfg: Config, action: string, objectArn: string): Request {
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
    },
    unknowable: WRITER_UNKNOWABLE,
  };
}
