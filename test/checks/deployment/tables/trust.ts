/** Rule tables for the trust policy: facts each rule must pass, and facts it must not. */

import type { Facts } from "../../../../src/checks/index.js";
import { failed, unknown } from "../../../../src/engine/fact.js";
import type { Statement } from "../../../../src/iam/policies/types.js";
import { base } from "../../../helpers/configs.js";
import { healthyFacts, role, trustPolicy, trustStatement } from "../../../helpers/facts.js";
import type { AreaTables } from "../../../helpers/rule-table.js";

/** Replaces the generated trust statement's Condition. */
const setCondition = (condition: Statement["Condition"]) => (f: Facts) => {
  trustStatement(f).Condition = condition;
};

/** Adds a condition operator to the generated trust statement (keeping the External ID check). */
const alsoRequire = (op: string, condition: Record<string, string>) => (f: Facts) => {
  trustStatement(f).Condition = { ...trustStatement(f).Condition, [op]: condition };
};

export const TABLES: AreaTables = {
  "trust.principal": {
    valid: [
      { name: "only Cloudsmith" },
      { name: "bare account id form", mutate: (f) => (trustStatement(f).Principal = { AWS: "884446598447" }) },
      // Nobody at all may assume it: cloudsmith-can-assume fails, this rule holds.
      { name: "no statement at all", mutate: (f) => (trustPolicy(f).Statement = []) },
      {
        name: "a Deny for everyone outside Cloudsmith's account beside a broad Allow",
        mutate: (f) => {
          trustStatement(f).Principal = "*";
          trustPolicy(f).Statement.push({
            Sid: "OnlyCloudsmith",
            Effect: "Deny",
            Principal: "*",
            Action: "sts:*",
            Condition: { StringNotEquals: { "aws:PrincipalAccount": "884446598447" } },
          });
        },
      },
    ],
    invalid: [
      { name: "principal *", mutate: (f) => (trustStatement(f).Principal = "*"), expect: "FAIL" },
      { name: "AWS *", mutate: (f) => (trustStatement(f).Principal = { AWS: "*" }), expect: "FAIL" },
      {
        name: "extra account",
        mutate: (f) =>
          (trustStatement(f).Principal = { AWS: ["arn:aws:iam::884446598447:root", "arn:aws:iam::111122223333:root"] }),
        expect: "FAIL",
      },
      {
        name: "service principal",
        mutate: (f) =>
          (trustStatement(f).Principal = { AWS: "arn:aws:iam::884446598447:root", Service: "ec2.amazonaws.com" }),
        expect: "FAIL",
      },
      {
        name: "NotPrincipal",
        mutate: (f) => {
          delete trustStatement(f).Principal;
          trustStatement(f).NotPrincipal = { AWS: "arn:aws:iam::111122223333:root" };
        },
        expect: "FAIL",
      },
      {
        name: "second statement",
        mutate: (f) =>
          trustPolicy(f).Statement.push({
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111122223333:root" },
            Action: "sts:AssumeRole",
          }),
        expect: "FAIL",
      },
      {
        name: "a second statement for one role in another account, with the External ID",
        mutate: (f) =>
          trustPolicy(f).Statement.push({
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::999988887777:role/Ops" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": "cs-ext-0123456789" } },
          }),
        expect: "FAIL",
      },
      {
        name: "GitHub Actions through OIDC, limited to one repository by its own claim",
        mutate: (f) =>
          trustPolicy(f).Statement.push({
            Sid: "GitHubDeploy",
            Effect: "Allow",
            Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/infra:*" } },
          }),
        expect: "FAIL",
      },
      {
        name: "a service scoped to the customer's own account",
        mutate: (f) =>
          trustPolicy(f).Statement.push({
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
          }),
        expect: "FAIL",
      },
      {
        name: "a second statement for anyone from an IP range: undecided",
        mutate: (f) =>
          trustPolicy(f).Statement.push({
            Effect: "Allow",
            Principal: "*",
            Action: "sts:AssumeRole",
            Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
          }),
        expect: "ERROR",
      },
      { name: "role unreadable", mutate: (f) => (f.role = failed("throttled")), expect: "ERROR" },
      {
        name: "trust unknown (plan)",
        mutate: (f) => (role(f).trustPolicy = unknown("var")),
        expect: "ERROR",
      },
    ],
  },
  "trust.external-id": {
    valid: [
      { name: "StringEquals with the ID" },
      // On a single-valued key ForAnyValue behaves as StringEquals; absent, it does not match.
      {
        name: "ForAnyValue:StringEquals with the ID",
        mutate: setCondition({ "ForAnyValue:StringEquals": { "sts:ExternalId": ["cs-ext-0123456789"] } }),
      },
      {
        name: "StringLike without a wildcard",
        mutate: setCondition({ StringLike: { "sts:ExternalId": "cs-ext-0123456789" } }),
      },
    ],
    invalid: [
      { name: "no condition", mutate: (f) => delete trustStatement(f).Condition, expect: "FAIL" },
      {
        name: "StringLike",
        mutate: setCondition({ StringLike: { "sts:ExternalId": "cs-*" } }),
        expect: "FAIL",
      },
      // A pattern need not match "<id>-other": each wildcard is probed with values built to match it.
      {
        name: "StringLike with ? at the end",
        mutate: setCondition({ StringLike: { "sts:ExternalId": "cs-ext-012345678?" } }),
        expect: "FAIL",
      },
      {
        name: "StringLike with a leading *",
        mutate: setCondition({ StringLike: { "sts:ExternalId": "*0123456789" } }),
        expect: "FAIL",
      },
      {
        name: "StringEqualsIgnoreCase: the ID in another case, never issued",
        mutate: setCondition({ StringEqualsIgnoreCase: { "sts:ExternalId": "cs-ext-0123456789" } }),
        expect: "FAIL",
      },
      {
        name: "extra allowed value",
        mutate: setCondition({ StringEquals: { "sts:ExternalId": ["cs-ext-0123456789", "other"] } }),
        expect: "FAIL",
      },
      {
        // Whichever principal of Cloudsmith's account calls, this one gets in without the ID: FAIL, not
        // "which one calls is not known".
        name: "a second statement for one role of Cloudsmith's account, without the ID",
        mutate: (f) =>
          trustPolicy(f).Statement.push({
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::884446598447:role/cloudsmith-exporter" },
            Action: "sts:AssumeRole",
          }),
        expect: "FAIL",
      },
      {
        name: "second statement without it",
        mutate: (f) =>
          trustPolicy(f).Statement.push({
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::884446598447:root" },
            Action: "sts:AssumeRole",
          }),
        expect: "FAIL",
      },
      {
        // "other" may be another customer's ID: Cloudsmith would write for them into this bucket.
        name: "a different ID only",
        mutate: setCondition({ StringEquals: { "sts:ExternalId": "other" } }),
        expect: "FAIL",
      },
      {
        name: "NotEquals another customer's ID: everything else admitted",
        mutate: setCondition({ StringNotEquals: { "sts:ExternalId": "cs-ext-someone-else" } }),
        expect: "FAIL",
      },
      {
        name: "value from a Terraform variable",
        mutate: setCondition({ StringEquals: { "sts:ExternalId": "${var.cloudsmith_external_id}" } }),
        expect: "ERROR",
      },
      {
        name: "config lacks the ID",
        facts: () => healthyFacts({ ...base, externalId: undefined, roleName: "R" }),
        mutate: setCondition({ StringEquals: { "sts:ExternalId": "x1" } }),
        expect: "ERROR",
      },
    ],
  },
  "trust.actions": {
    valid: [{ name: "sts:AssumeRole" }],
    invalid: [
      { name: "sts:*", mutate: (f) => (trustStatement(f).Action = "sts:*"), expect: "FAIL" },
      {
        name: "extra TagSession",
        mutate: (f) => (trustStatement(f).Action = ["sts:AssumeRole", "sts:TagSession"]),
        expect: "FAIL",
      },
      {
        name: "NotAction",
        mutate: (f) => {
          delete trustStatement(f).Action;
          trustStatement(f).NotAction = "iam:*";
        },
        expect: "FAIL",
      },
      { name: "role unreadable", mutate: (f) => (f.role = failed("throttled")), expect: "ERROR" },
      {
        name: "trust policy known only after apply",
        mutate: (f) => (role(f).trustPolicy = unknown("var")),
        expect: "ERROR",
      },
    ],
  },
  "trust.cloudsmith-can-assume": {
    valid: [
      { name: "the generated trust policy" },
      {
        // Every principal of Cloudsmith's account matches: which one calls does not matter.
        name: "an aws:PrincipalArn condition covering all of Cloudsmith's account",
        mutate: alsoRequire("ArnLike", { "aws:PrincipalArn": "arn:aws:iam::884446598447:*" }),
      },
      {
        name: "an organization perimeter Deny that exempts Cloudsmith's account",
        mutate: (f) =>
          trustPolicy(f).Statement.push({
            Effect: "Deny",
            Principal: "*",
            Action: "sts:AssumeRole",
            Condition: { StringNotEquals: { "aws:PrincipalAccount": ["123456789012", "884446598447"] } },
          }),
      },
    ],
    invalid: [
      {
        name: "a Deny for everyone",
        mutate: (f) => trustPolicy(f).Statement.push({ Effect: "Deny", Principal: "*", Action: "sts:AssumeRole" }),
        expect: "FAIL",
      },
      {
        name: "a Deny for Cloudsmith's account",
        mutate: (f) =>
          trustPolicy(f).Statement.push({
            Sid: "NoVendors",
            Effect: "Deny",
            Principal: { AWS: "884446598447" },
            Action: "sts:*",
          }),
        expect: "FAIL",
      },
      {
        name: "an Allow that also requires the customer's organization",
        mutate: alsoRequire("StringEquals", { "sts:ExternalId": "cs-ext-0123456789", "aws:PrincipalOrgID": "o-acme" }),
        expect: "FAIL",
      },
      {
        name: "an Allow that also requires MFA",
        mutate: alsoRequire("Bool", { "aws:MultiFactorAuthPresent": "true" }),
        expect: "FAIL",
      },
      {
        name: "an Allow that also requires a recent MFA",
        mutate: alsoRequire("NumericLessThan", { "aws:MultiFactorAuthAge": "3600" }),
        expect: "FAIL",
      },
      {
        name: "a different External ID than the configured one",
        mutate: setCondition({ StringEquals: { "sts:ExternalId": "other" } }),
        expect: "FAIL",
      },
      { name: "no statement at all", mutate: (f) => (trustPolicy(f).Statement = []), expect: "FAIL" },
      {
        name: "an Allow that also requires a source IP range: undecided",
        mutate: alsoRequire("IpAddress", { "aws:SourceIp": "203.0.113.0/24" }),
        expect: "ERROR",
      },
      { name: "role unreadable", mutate: (f) => (f.role = failed("throttled")), expect: "ERROR" },
      { name: "config lacks the ID", facts: () => healthyFacts({ ...base, externalId: undefined }), expect: "ERROR" },
      {
        name: "the principal is one Cloudsmith role, not its account: which role calls is not known",
        mutate: (f) => (trustStatement(f).Principal = { AWS: "arn:aws:iam::884446598447:role/exporter" }),
        expect: "ERROR",
      },
    ],
  },
};
