/**
 * The read-only auditor role synth can add for CI: who may assume it (IAM
 * principals, or one GitHub repository's Actions through the account's OIDC
 * provider, pinned to a token subject), and exactly the policy verify needs.
 */
import { partition } from "../config/derived.js";
import type { Config } from "../config/schema.js";
import type { PolicyDocument, Statement } from "../iam/policies/types.js";
import { verifierPolicy } from "./iam-policy.js";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

export function auditorTrustPolicy(cfg: Config): PolicyDocument {
  const a = cfg.auditorRole;
  if (!a) throw new Error("no auditorRole in the config");
  const statements: Statement[] = [];
  if (a.trustedPrincipals.length > 0)
    statements.push({
      Sid: "TrustedPrincipals",
      Effect: "Allow",
      Principal: { AWS: a.trustedPrincipals.length === 1 ? a.trustedPrincipals[0]! : [...a.trustedPrincipals].sort() },
      Action: "sts:AssumeRole",
    });
  if (a.githubRepository !== undefined)
    statements.push({
      Sid: "GitHubActions",
      Effect: "Allow",
      Principal: { Federated: `arn:${partition(cfg)}:iam::${cfg.accountId}:oidc-provider/${GITHUB_OIDC_HOST}` },
      Action: "sts:AssumeRoleWithWebIdentity",
      // Exact matches only: a wildcard subject would admit every branch, fork workflow or environment.
      Condition: {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
          [`${GITHUB_OIDC_HOST}:sub`]: a.githubSubject ?? `repo:${a.githubRepository}:ref:refs/heads/main`,
        },
      },
    });
  return { Version: "2012-10-17", Statement: statements };
}

/** Exactly what `verify --print-iam-policy` prints for the same config and options (on AWS, with Access Analyzer). */
export function auditorPolicy(cfg: Config): PolicyDocument {
  const a = cfg.auditorRole;
  if (!a) throw new Error("no auditorRole in the config");
  // A config with a SIEM hand-off is checked with --siem in CI too.
  return verifierPolicy([cfg], {
    delivery: a.delivery,
    integrity: a.integrity,
    analyzer: true,
    siem: cfg.siem?.enabled === true,
  });
}
