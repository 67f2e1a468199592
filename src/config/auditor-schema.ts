/** The optional read-only auditor role's config: who may assume it, and what verify may read. */
import { z } from "zod";
import { ruled } from "./ruled.js";
import { checkRoleName } from "./rules.js";

/** An IAM principal another account's CI can use: a role, a user or an account root. */
export const PRINCIPAL_ARN_PATTERN =
  /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]{1,512}|user\/[\w+=,.@/-]{1,512})$/;
export const GITHUB_REPOSITORY_PATTERN = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;

export const AuditorRoleSchema = z
  .object({
    name: ruled(checkRoleName)
      .default("CloudsmithLogExportAuditor")
      .meta({ description: "Name of the read-only role verify runs as in CI." }),
    trustedPrincipals: z
      .array(
        z
          .string()
          .regex(PRINCIPAL_ARN_PATTERN, "an IAM role, user or account root ARN (arn:aws:iam::123456789012:role/ci)"),
      )
      .default([])
      .meta({ description: "IAM principals (roles, users, accounts) that may assume the auditor role." }),
    githubRepository: z
      .string()
      .regex(GITHUB_REPOSITORY_PATTERN, "owner/repository, as in github.com/<owner>/<repository>")
      .optional()
      .meta({
        description:
          "GitHub repository whose Actions may assume the role through OIDC (the account's token.actions.githubusercontent.com provider).",
      }),
    githubSubject: z
      .string()
      .regex(/^repo:[^*]+$/, "a token subject without wildcards, e.g. repo:acme/infra:ref:refs/heads/main")
      .optional()
      .meta({
        description: "The OIDC token's subject to trust (default repo:<githubRepository>:ref:refs/heads/main).",
      }),
    delivery: z.boolean().default(true).meta({ description: "Also allow verify --delivery's reads." }),
    integrity: z.boolean().default(true).meta({ description: "Also allow verify --integrity's reads." }),
  })
  .strict()
  .refine(
    (a) => a.trustedPrincipals.length > 0 || a.githubRepository !== undefined,
    "name who may assume the auditor role: trustedPrincipals, githubRepository, or both",
  )
  .refine(
    (a) => a.githubSubject === undefined || a.githubRepository !== undefined,
    "githubSubject needs githubRepository",
  );
