import { type PolicyDocument, policy } from "./types.js";

export const TRUST_SID = "CloudsmithAssumeRoleWithExternalId";

/**
 * The role's trust policy, exactly as Cloudsmith documents it: only
 * Cloudsmith's account, only sts:AssumeRole, only with the issued External ID
 * (StringEquals: no wildcards, no IfExists, no set operators).
 */
export function trustPolicy(args: { principalArn: string; externalId: string }): PolicyDocument {
  return policy({
    Sid: TRUST_SID,
    Effect: "Allow",
    Principal: { AWS: args.principalArn },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "sts:ExternalId": args.externalId } },
  });
}
