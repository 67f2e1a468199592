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
import type { PolicyDocument } from "../../iam/policies/types.js";
import {
  type AssumeTarget,
  accountCaller,
  assumeRoleRequest as assumeRequest,
  type Deputy,
  externalIdProbes as externalIdProbesFor,
  namedCallers as namedCallersIn,
  OTHER_ACCOUNT,
  OTHER_TRUST_ACTIONS,
  otherPrincipalProbes as otherPrincipalProbesFor,
  type Probe,
} from "../assume-role.js";

export { assumeActionOf, OTHER_ACCOUNT, OTHER_TRUST_ACTIONS, type Probe, valuesAdmittedBy } from "../assume-role.js";

/** Cloudsmith's role, as the confused-deputy probes address it. */
export const cloudsmithTarget = (cfg: Config): AssumeTarget => ({ roleArn: roleArn(cfg), account: cfg.accountId });

/** Cloudsmith, calling from its own account. */
export const CLOUDSMITH: Deputy = {
  caller: accountCaller(CLOUDSMITH_ACCOUNT_ID),
  name: "Cloudsmith's account",
  possessive: "Cloudsmith's",
  issuer: "Cloudsmith",
  otherCustomer: "another Cloudsmith customer",
};

export function assumeRoleRequest(
  cfg: Config,
  caller: Principal,
  externalId: string | undefined,
  action?: string,
): Request {
  return assumeRequest(cloudsmithTarget(cfg), caller, externalId, action);
}

/** Cloudsmith's own request, with the configured External ID. */
export const cloudsmithAssumeRole = (cfg: Config, externalId: string): Request =>
  assumeRoleRequest(cfg, accountCaller(CLOUDSMITH_ACCOUNT_ID), externalId);

/** Every principal a policy names outside the given accounts (by default all but Cloudsmith's), once each. */
export const namedCallers = (doc: PolicyDocument, except: readonly string[] = [CLOUDSMITH_ACCOUNT_ID]) =>
  namedCallersIn(doc, except);

/** The confused-deputy proof for Cloudsmith's role (assume-role.ts). */
export const externalIdProbes = (cfg: Config, externalId: string, trust: PolicyDocument): Probe[] =>
  externalIdProbesFor(cloudsmithTarget(cfg), CLOUDSMITH, externalId, trust);

/** Everyone but Cloudsmith's account, with the right External ID (assume-role.ts). */
export const otherPrincipalProbes = (cfg: Config, externalId: string, trust: PolicyDocument): Probe[] =>
  otherPrincipalProbesFor(cloudsmithTarget(cfg), CLOUDSMITH, externalId, trust);

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
