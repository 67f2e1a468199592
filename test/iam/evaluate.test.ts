/**
 * The IAM evaluator against a reference table taken from AWS's documentation:
 * each case is a request, the policies in force, and the outcome the named
 * page documents. Three-valued cases check that what cannot be known is
 * reported as undecided (naming the key, policy and statement), never guessed.
 */
import { describe, expect, it } from "vitest";
import { evaluateRequest, type PolicySet } from "../../src/iam/eval/evaluate.js";
import type { Request } from "../../src/iam/eval/request.js";
import { policy, type Statement } from "../../src/iam/policies/types.js";

const DOC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/";
const PAGES = {
  logic: `${DOC}reference_policies_evaluation-logic.html`,
  crossAccount: `${DOC}reference_policies_evaluation-logic-cross-account.html`,
  boundaries: `${DOC}access_policies_boundaries.html`,
  principal: `${DOC}reference_policies_elements_principal.html`,
  notPrincipal: `${DOC}reference_policies_elements_notprincipal.html`,
  action: `${DOC}reference_policies_elements_action.html`,
  notAction: `${DOC}reference_policies_elements_notaction.html`,
  resource: `${DOC}reference_policies_elements_resource.html`,
  notResource: `${DOC}reference_policies_elements_notresource.html`,
  operators: `${DOC}reference_policies_elements_condition_operators.html`,
  multiValued: `${DOC}reference_policies_condition-single-vs-multi-valued-context-keys.html`,
  variables: `${DOC}reference_policies_variables.html`,
} as const;

const A = "111122223333";
const B = "444455556666";
const ROLE = `arn:aws:iam::${A}:role/Writer`;
const OBJECT = "arn:aws:s3:::acme-logs/client-logs/2026/01/01/x.gz";

/** The writer role in account A puts an object in account A's bucket over TLS. */
function request(over: Partial<Request> = {}, context: Request["context"] = {}): Request {
  return {
    principal: { type: "AWS", account: A, arn: ROLE, sessionArn: `arn:aws:sts::${A}:assumed-role/Writer/s` },
    action: "s3:PutObject",
    resource: OBJECT,
    resourceAccount: A,
    context: { "aws:PrincipalAccount": A, "aws:PrincipalArn": ROLE, "aws:SecureTransport": "true", ...context },
    ...over,
  };
}
const allow = (extra: Partial<Statement> = {}): Statement => ({
  Effect: "Allow",
  Action: "s3:PutObject",
  Resource: "arn:aws:s3:::acme-logs/*",
  ...extra,
});
const deny = (extra: Partial<Statement> = {}): Statement => ({
  Effect: "Deny",
  Action: "s3:*",
  Resource: "arn:aws:s3:::acme-logs/*",
  ...extra,
});
const identity = (...s: Statement[]): PolicySet["identity"] => [
  { name: "inline policy write", document: policy(...s) },
];
const bucket = (...s: Statement[]): PolicySet["resource"] => ({
  name: "the bucket policy of s3://acme-logs",
  document: policy(...s),
});
const withCondition = (Condition: Statement["Condition"]) => identity(allow({ Condition }));

type Expect = "allow" | "explicit-deny" | "implicit-deny" | "undecided";
interface Case {
  name: string;
  page: keyof typeof PAGES;
  req?: Request;
  policies: PolicySet;
  expect: Expect;
}

const outsider = { type: "AWS" as const, account: B, arn: `arn:aws:iam::${B}:role/Other` };
const anonymous = { type: "Anonymous" as const };
const cloudtrail = { type: "Service" as const, service: "cloudtrail.amazonaws.com" };

const CASES: Case[] = [
  // Evaluation logic
  { name: "no policy allows: implicit deny", page: "logic", policies: { identity: [] }, expect: "implicit-deny" },
  { name: "an identity Allow allows", page: "logic", policies: { identity: identity(allow()) }, expect: "allow" },
  {
    name: "an explicit Deny in the identity policy wins",
    page: "logic",
    policies: { identity: identity(allow(), deny()) },
    expect: "explicit-deny",
  },
  {
    name: "a Deny in the resource policy wins over an identity Allow",
    page: "logic",
    policies: { identity: identity(allow()), resource: bucket(deny({ Principal: "*" })) },
    expect: "explicit-deny",
  },
  {
    name: "an Allow for another action does not allow",
    page: "logic",
    policies: { identity: identity(allow({ Action: "s3:GetObject" })) },
    expect: "implicit-deny",
  },
  {
    name: "same account: a resource policy naming the role allows without an identity policy",
    page: "logic",
    policies: { identity: [], resource: bucket(allow({ Principal: { AWS: ROLE } })) },
    expect: "allow",
  },
  {
    name: "same account: a resource policy granting the account root still needs the identity policy",
    page: "logic",
    policies: { identity: [], resource: bucket(allow({ Principal: { AWS: `arn:aws:iam::${A}:root` } })) },
    expect: "implicit-deny",
  },
  // logic: the root user "has full access to all AWS services and resources in the account"; only
  // an explicit Deny (or an SCP/RCP, which this tool does not read) limits it.
  {
    name: "the account's root user needs no identity policy in its own account",
    page: "logic",
    req: request({ principal: { type: "AWS", account: A, arn: `arn:aws:iam::${A}:root` } }),
    policies: { identity: [] },
    expect: "allow",
  },
  {
    name: "an explicit Deny in the bucket policy still stops the root user",
    page: "logic",
    req: request({ principal: { type: "AWS", account: A, arn: `arn:aws:iam::${A}:root` } }),
    policies: { identity: [], resource: bucket(deny({ Principal: "*" })) },
    expect: "explicit-deny",
  },
  // Permissions boundaries
  {
    name: "identity Allow outside the boundary: implicit deny",
    page: "boundaries",
    policies: {
      identity: identity(allow()),
      boundary: { name: "boundary", document: policy(allow({ Action: "s3:GetObject" })) },
    },
    expect: "implicit-deny",
  },
  {
    name: "identity Allow inside the boundary: allow",
    page: "boundaries",
    policies: {
      identity: identity(allow()),
      boundary: { name: "boundary", document: policy(allow({ Action: "s3:*" })) },
    },
    expect: "allow",
  },
  {
    name: "a boundary alone grants nothing",
    page: "boundaries",
    policies: { identity: [], boundary: { name: "boundary", document: policy(allow()) } },
    expect: "implicit-deny",
  },
  {
    name: "a Deny in the boundary wins",
    page: "boundaries",
    policies: {
      identity: identity(allow()),
      boundary: { name: "boundary", document: policy(allow({ Action: "*", Resource: "*" }), deny()) },
    },
    expect: "explicit-deny",
  },
  // access_policies_boundaries, "Resource-based policies": "Within the same account, resource-based
  // policies that grant permissions to an IAM user ARN (or role session ARN) are not limited by an
  // implicit deny in a permissions boundary"; a grant to the role ARN is.
  {
    name: "a resource policy naming the role session: not limited by the boundary",
    page: "boundaries",
    policies: {
      identity: [],
      boundary: { name: "boundary", document: policy(allow({ Action: "s3:GetObject" })) },
      resource: bucket(allow({ Principal: { AWS: `arn:aws:sts::${A}:assumed-role/Writer/s` } })),
    },
    expect: "allow",
  },
  {
    name: "a resource policy naming the role ARN: limited by the boundary",
    page: "boundaries",
    policies: {
      identity: [],
      boundary: { name: "boundary", document: policy(allow({ Action: "s3:GetObject" })) },
      resource: bucket(allow({ Principal: { AWS: ROLE } })),
    },
    expect: "implicit-deny",
  },
  {
    name: "a resource policy naming the IAM user: not limited by the user's boundary",
    page: "boundaries",
    req: request({ principal: { type: "AWS", account: A, arn: `arn:aws:iam::${A}:user/alice` } }),
    policies: {
      identity: [],
      boundary: { name: "boundary", document: policy(allow({ Action: "s3:GetObject" })) },
      resource: bucket(allow({ Principal: { AWS: `arn:aws:iam::${A}:user/alice` } })),
    },
    expect: "allow",
  },
  {
    name: "a resource policy naming the role session: an explicit Deny in the boundary still wins",
    page: "boundaries",
    policies: {
      identity: [],
      boundary: { name: "boundary", document: policy(allow({ Action: "*", Resource: "*" }), deny()) },
      resource: bucket(allow({ Principal: { AWS: `arn:aws:sts::${A}:assumed-role/Writer/s` } })),
    },
    expect: "explicit-deny",
  },
  // Cross-account
  {
    name: "cross-account: both sides allow",
    page: "crossAccount",
    req: request({ principal: outsider }),
    policies: { identity: identity(allow()), resource: bucket(allow({ Principal: { AWS: B } })) },
    expect: "allow",
  },
  {
    name: "cross-account: the resource policy alone is not enough",
    page: "crossAccount",
    req: request({ principal: outsider }),
    policies: { identity: [], resource: bucket(allow({ Principal: { AWS: B } })) },
    expect: "implicit-deny",
  },
  {
    name: "cross-account: the identity policy alone is not enough",
    page: "crossAccount",
    req: request({ principal: outsider }),
    policies: { identity: identity(allow()) },
    expect: "implicit-deny",
  },
  // Principal, NotPrincipal
  {
    name: 'Principal "*" admits anonymous requests',
    page: "principal",
    req: request({ principal: anonymous }),
    policies: { resource: bucket(allow({ Principal: "*" })) },
    expect: "allow",
  },
  {
    name: 'Principal {"AWS": "*"} is the same as "*"',
    page: "principal",
    req: request({ principal: anonymous }),
    policies: { resource: bucket(allow({ Principal: { AWS: "*" } })) },
    expect: "allow",
  },
  {
    name: "a bare account ID is the account's root: every principal of the account",
    page: "principal",
    req: request({ principal: outsider }),
    policies: { identity: identity(allow()), resource: bucket(allow({ Principal: { AWS: B } })) },
    expect: "allow",
  },
  {
    name: "another account's root does not cover this caller",
    page: "principal",
    req: request({ principal: outsider }),
    policies: {
      identity: identity(allow()),
      resource: bucket(allow({ Principal: { AWS: `arn:aws:iam::${A}:root` } })),
    },
    expect: "implicit-deny",
  },
  {
    name: "a service principal",
    page: "principal",
    req: request({ principal: cloudtrail }),
    policies: { resource: bucket(allow({ Principal: { Service: "cloudtrail.amazonaws.com" } })) },
    expect: "allow",
  },
  {
    name: "an AWS principal does not cover a service",
    page: "principal",
    req: request({ principal: cloudtrail }),
    policies: { resource: bucket(allow({ Principal: { AWS: A } })) },
    expect: "implicit-deny",
  },
  // notPrincipal: "you must also specify the account ARN of the not-denied principal. Otherwise,
  // the policy might deny access to the entire account containing the principal"; its examples list
  // the role (or user) ARN together with the account ARN.
  {
    name: "Deny with NotPrincipal spares the principal named with its account",
    page: "notPrincipal",
    policies: {
      identity: identity(allow()),
      resource: bucket(deny({ NotPrincipal: { AWS: [ROLE, `arn:aws:iam::${A}:root`] } })),
    },
    expect: "allow",
  },
  {
    name: "Deny with NotPrincipal naming the role but not its account: denied",
    page: "notPrincipal",
    policies: { identity: identity(allow()), resource: bucket(deny({ NotPrincipal: { AWS: ROLE } })) },
    expect: "explicit-deny",
  },
  {
    // boundaries: "The NotPrincipal element with a Deny effect will always deny any IAM principal
    // that has a permissions boundary policy attached, regardless of the values specified".
    name: "Deny with NotPrincipal always denies a principal with a permissions boundary",
    page: "boundaries",
    policies: {
      identity: identity(allow()),
      boundary: { name: "boundary", document: policy(allow({ Action: "s3:*" })) },
      resource: bucket(deny({ NotPrincipal: { AWS: [ROLE, `arn:aws:iam::${A}:root`] } })),
    },
    expect: "explicit-deny",
  },
  {
    name: "Deny with NotPrincipal denies everyone else",
    page: "notPrincipal",
    req: request({ principal: outsider }),
    policies: {
      identity: identity(allow()),
      resource: bucket(allow({ Principal: { AWS: B } }), deny({ NotPrincipal: { AWS: ROLE } })),
    },
    expect: "explicit-deny",
  },
  // Action, NotAction
  {
    name: "actions compare case-insensitively",
    page: "action",
    policies: { identity: identity(allow({ Action: "S3:putobject" })) },
    expect: "allow",
  },
  {
    name: "action wildcards",
    page: "action",
    policies: { identity: identity(allow({ Action: "s3:Put*" })) },
    expect: "allow",
  },
  {
    name: "Allow with NotAction allows every other action",
    page: "notAction",
    policies: { identity: identity({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) },
    expect: "allow",
  },
  {
    name: "Allow with NotAction does not allow the excluded actions",
    page: "notAction",
    policies: { identity: identity({ Effect: "Allow", NotAction: "s3:*", Resource: "*" }) },
    expect: "implicit-deny",
  },
  // Resource, NotResource
  {
    name: "resources compare case-sensitively",
    page: "resource",
    policies: { identity: identity(allow({ Resource: "arn:aws:s3:::ACME-logs/*" })) },
    expect: "implicit-deny",
  },
  {
    name: "resource wildcards",
    page: "resource",
    policies: { identity: identity(allow({ Resource: "arn:aws:s3:::acme-*/client-logs/*" })) },
    expect: "allow",
  },
  {
    name: "Deny with NotResource spares the resources named",
    page: "notResource",
    policies: {
      identity: identity(allow(), { Effect: "Deny", Action: "s3:*", NotResource: "arn:aws:s3:::acme-logs/*" }),
    },
    expect: "allow",
  },
  {
    name: "Deny with NotResource denies every other resource",
    page: "notResource",
    policies: {
      identity: identity(allow({ Resource: "*" }), {
        Effect: "Deny",
        Action: "s3:*",
        NotResource: "arn:aws:s3:::other/*",
      }),
    },
    expect: "explicit-deny",
  },
  // Condition operators
  {
    name: "StringEquals that matches",
    page: "operators",
    policies: { identity: withCondition({ StringEquals: { "aws:PrincipalAccount": A } }) },
    expect: "allow",
  },
  {
    name: "StringEquals that does not match",
    page: "operators",
    policies: { identity: withCondition({ StringEquals: { "aws:PrincipalAccount": B } }) },
    expect: "implicit-deny",
  },
  {
    name: "StringLike with a wildcard",
    page: "operators",
    policies: { identity: withCondition({ StringLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/Wri*" } }) },
    expect: "allow",
  },
  {
    name: "StringEqualsIgnoreCase",
    page: "operators",
    policies: { identity: withCondition({ StringEqualsIgnoreCase: { "aws:PrincipalArn": ROLE.toUpperCase() } }) },
    expect: "allow",
  },
  {
    name: "several values of one key are alternatives (OR)",
    page: "operators",
    policies: { identity: withCondition({ StringEquals: { "aws:PrincipalAccount": [B, A] } }) },
    expect: "allow",
  },
  {
    name: "several keys must all hold (AND)",
    page: "operators",
    policies: { identity: withCondition({ StringEquals: { "aws:PrincipalAccount": A, "aws:PrincipalArn": "x" } }) },
    expect: "implicit-deny",
  },
  {
    name: "a key absent from the request: the condition is false",
    page: "operators",
    policies: { identity: withCondition({ StringEquals: { "aws:PrincipalOrgID": "o-abc" } }) },
    expect: "implicit-deny",
  },
  {
    name: "a negated operator on an absent key is true",
    page: "operators",
    policies: {
      identity: identity(allow(), deny({ Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc" } } })),
    },
    expect: "explicit-deny",
  },
  {
    name: "...IfExists on an absent key is true",
    page: "operators",
    policies: { identity: withCondition({ StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc" } }) },
    expect: "allow",
  },
  {
    name: "...IfExists on a present key compares",
    page: "operators",
    policies: { identity: withCondition({ StringEqualsIfExists: { "aws:PrincipalAccount": B } }) },
    expect: "implicit-deny",
  },
  {
    name: "Null true matches an absent key",
    page: "operators",
    policies: { identity: withCondition({ Null: { "aws:PrincipalOrgID": "true" } }) },
    expect: "allow",
  },
  {
    name: "Null false needs the key",
    page: "operators",
    policies: { identity: withCondition({ Null: { "aws:PrincipalOrgID": "false" } }) },
    expect: "implicit-deny",
  },
  {
    name: "Bool: the TLS-only Deny spares a request over TLS",
    page: "operators",
    policies: {
      identity: identity(allow()),
      resource: bucket(deny({ Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } })),
    },
    expect: "allow",
  },
  {
    name: "Bool: the TLS-only Deny denies plain HTTP",
    page: "operators",
    req: request({}, { "aws:SecureTransport": "false" }),
    policies: {
      identity: identity(allow()),
      resource: bucket(deny({ Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } })),
    },
    expect: "explicit-deny",
  },
  {
    name: "NumericLessThan",
    page: "operators",
    req: request({}, { "s3:max-keys": "10" }),
    policies: { identity: withCondition({ NumericLessThan: { "s3:max-keys": "100" } }) },
    expect: "allow",
  },
  {
    name: "NumericGreaterThanEquals that fails",
    page: "operators",
    req: request({}, { "s3:max-keys": "10" }),
    policies: { identity: withCondition({ NumericGreaterThanEquals: { "s3:max-keys": "11" } }) },
    expect: "implicit-deny",
  },
  {
    name: "DateGreaterThan with ISO 8601",
    page: "operators",
    req: request({}, { "aws:CurrentTime": "2026-06-01T00:00:00Z" }),
    policies: { identity: withCondition({ DateGreaterThan: { "aws:CurrentTime": "2026-01-01T00:00:00Z" } }) },
    expect: "allow",
  },
  {
    name: "DateLessThan with epoch seconds",
    page: "operators",
    req: request({}, { "aws:EpochTime": "1780000000" }),
    policies: { identity: withCondition({ DateLessThan: { "aws:EpochTime": "1700000000" } }) },
    expect: "implicit-deny",
  },
  {
    name: "IpAddress in a CIDR",
    page: "operators",
    req: request({}, { "aws:SourceIp": "203.0.113.7" }),
    policies: { identity: withCondition({ IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }) },
    expect: "allow",
  },
  {
    name: "NotIpAddress outside the range",
    page: "operators",
    req: request({}, { "aws:SourceIp": "198.51.100.1" }),
    policies: { identity: withCondition({ NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } }) },
    expect: "allow",
  },
  {
    name: "IpAddress with IPv6",
    page: "operators",
    req: request({}, { "aws:SourceIp": "2001:db8::1" }),
    policies: { identity: withCondition({ IpAddress: { "aws:SourceIp": "2001:db8::/32" } }) },
    expect: "allow",
  },
  {
    name: "ArnLike on aws:PrincipalArn",
    page: "operators",
    policies: { identity: withCondition({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/*" } }) },
    expect: "allow",
  },
  {
    name: "ArnNotEquals exempts the role from a perimeter Deny",
    page: "operators",
    policies: {
      identity: identity(allow()),
      resource: bucket(deny({ Principal: "*", Condition: { ArnNotEquals: { "aws:PrincipalArn": ROLE } } })),
    },
    expect: "allow",
  },
  {
    name: "condition key names are case-insensitive",
    page: "operators",
    policies: { identity: withCondition({ StringEquals: { "AWS:PRINCIPALACCOUNT": A } }) },
    expect: "allow",
  },
  {
    name: "an operator IAM does not have is undecided, never a guess",
    page: "operators",
    policies: { identity: withCondition({ StringEqualz: { "aws:PrincipalAccount": A } }) },
    expect: "undecided",
  },
  // Single- and multivalued keys
  {
    name: "ForAnyValue on an absent key is false",
    page: "multiValued",
    policies: { identity: withCondition({ "ForAnyValue:StringEquals": { "aws:TagKeys": "team" } }) },
    expect: "implicit-deny",
  },
  {
    name: "ForAllValues on an absent key is true",
    page: "multiValued",
    policies: { identity: withCondition({ "ForAllValues:StringEquals": { "aws:TagKeys": "team" } }) },
    expect: "allow",
  },
  {
    name: "ForAllValues with a value outside the set is false",
    page: "multiValued",
    req: request({}, { "aws:TagKeys": ["team", "cost"] }),
    policies: { identity: withCondition({ "ForAllValues:StringEquals": { "aws:TagKeys": "team" } }) },
    expect: "implicit-deny",
  },
  {
    name: "ForAnyValue with one value in the set is true",
    page: "multiValued",
    req: request({}, { "aws:TagKeys": ["team", "cost"] }),
    policies: { identity: withCondition({ "ForAnyValue:StringEquals": { "aws:TagKeys": "team" } }) },
    expect: "allow",
  },
  {
    name: "ForAllValues on an empty set is true",
    page: "multiValued",
    req: request({}, { "aws:TagKeys": [] }),
    policies: { identity: withCondition({ "ForAllValues:StringEquals": { "aws:TagKeys": "team" } }) },
    expect: "allow",
  },
  // Policy variables
  {
    name: "a variable in Resource",
    page: "variables",
    req: request({ resource: `arn:aws:s3:::acme-logs/${A}/x` }),
    policies: { identity: identity(allow({ Resource: "arn:aws:s3:::acme-logs/${aws:PrincipalAccount}/*" })) },
    expect: "allow",
  },
  {
    name: "a variable with no value and no default matches nothing",
    page: "variables",
    policies: { identity: identity(allow({ Resource: "arn:aws:s3:::acme-logs/${aws:username}/*" })) },
    expect: "implicit-deny",
  },
  {
    name: "a variable's default value",
    page: "variables",
    req: request({ resource: "arn:aws:s3:::acme-logs/shared/x" }),
    policies: { identity: identity(allow({ Resource: "arn:aws:s3:::acme-logs/${aws:username, 'shared'}/*" })) },
    expect: "allow",
  },
  {
    name: "a variable in a condition value",
    page: "variables",
    policies: {
      identity: withCondition({ StringEquals: { "aws:PrincipalAccount": "${aws:ResourceAccount, '" + A + "'}" } }),
    },
    expect: "allow",
  },
  // variables, "Special characters": "${*} - use where you need an * (asterisk) character", "${?} -
  // use where you need a ? (question mark) character", "${$} - use where you need a $ (dollar sign)".
  {
    name: "${*} in Resource is the character *, not a wildcard: a key named * matches",
    page: "variables",
    req: request({ resource: "arn:aws:s3:::acme-logs/*" }),
    policies: { identity: identity(allow({ Resource: "arn:aws:s3:::acme-logs/${*}" })) },
    expect: "allow",
  },
  {
    name: "${*} in Resource is the character *, not a wildcard: another key does not match",
    page: "variables",
    policies: { identity: identity(allow({ Resource: "arn:aws:s3:::acme-logs/${*}" })) },
    expect: "implicit-deny",
  },
  {
    name: "${?} in a StringLike value is the character ?",
    page: "variables",
    req: request({}, { "s3:prefix": "what?" }),
    policies: { identity: withCondition({ StringLike: { "s3:prefix": "what${?}" } }) },
    expect: "allow",
  },
  {
    name: "${?} in a StringLike value does not match another character",
    page: "variables",
    req: request({}, { "s3:prefix": "whatx" }),
    policies: { identity: withCondition({ StringLike: { "s3:prefix": "what${?}" } }) },
    expect: "implicit-deny",
  },
  {
    name: "${$} in a StringEquals value is the character $",
    page: "variables",
    req: request({}, { "s3:prefix": "cost$" }),
    policies: { identity: withCondition({ StringEquals: { "s3:prefix": "cost${$}" } }) },
    expect: "allow",
  },
  // operators, Null: "If the key that you specify in a condition is present ... with an empty value
  // ... it resolves to a null data set"; multiValued: ForAllValues "returns true if ... the key
  // resolves to a null data set, such as an empty string".
  {
    name: "Null true on a key present with an empty string: it resolves to null",
    page: "operators",
    req: request({}, { "s3:prefix": "" }),
    policies: { identity: withCondition({ Null: { "s3:prefix": "true" } }) },
    expect: "allow",
  },
  {
    name: "Null false on a key present with an empty list: not met",
    page: "operators",
    req: request({}, { "aws:TagKeys": [] }),
    policies: { identity: withCondition({ Null: { "aws:TagKeys": "false" } }) },
    expect: "implicit-deny",
  },
  {
    name: "ForAllValues on an empty string is true",
    page: "multiValued",
    req: request({}, { "aws:TagKeys": "" }),
    policies: { identity: withCondition({ "ForAllValues:StringEquals": { "aws:TagKeys": "team" } }) },
    expect: "allow",
  },
  {
    name: "ForAnyValue on an empty list is false",
    page: "multiValued",
    req: request({}, { "aws:TagKeys": [] }),
    policies: { identity: withCondition({ "ForAnyValue:StringEquals": { "aws:TagKeys": "team" } }) },
    expect: "implicit-deny",
  },
  // operators, "Date condition operators": aws:CurrentTime of a request not made yet is unknown,
  // but it is now or later; a bound already past settles the answer for every such request.
  {
    name: "DateGreaterThan aws:CurrentTime a date already past: holds for every request from now on",
    page: "operators",
    req: { ...request(), unknowable: ["aws:CurrentTime", "aws:EpochTime"] },
    policies: { identity: withCondition({ DateGreaterThan: { "aws:CurrentTime": "2020-01-01T00:00:00Z" } }) },
    expect: "allow",
  },
  {
    name: "DateLessThan aws:CurrentTime a date already past: never holds again",
    page: "operators",
    req: { ...request(), unknowable: ["aws:CurrentTime", "aws:EpochTime"] },
    policies: { identity: withCondition({ DateLessThan: { "aws:CurrentTime": "2020-01-01T00:00:00Z" } }) },
    expect: "implicit-deny",
  },
  {
    name: "NumericLessThan aws:EpochTime beyond a century ahead: holds for any run today",
    page: "operators",
    req: { ...request(), unknowable: ["aws:CurrentTime", "aws:EpochTime"] },
    policies: { identity: withCondition({ NumericLessThan: { "aws:EpochTime": "99999999999" } }) },
    expect: "allow",
  },
  {
    name: "DateLessThan aws:CurrentTime a year ahead: the answer changes, undecided",
    page: "operators",
    req: { ...request(), unknowable: ["aws:CurrentTime", "aws:EpochTime"] },
    policies: {
      identity: withCondition({
        DateLessThan: { "aws:CurrentTime": new Date(Date.now() + 365 * 86_400_000).toISOString() },
      }),
    },
    expect: "undecided",
  },
  // More from the condition operators page.
  {
    name: "StringNotEquals with several values: none may match",
    page: "operators",
    req: request({}, { "s3:x-amz-acl": "private" }),
    policies: { identity: withCondition({ StringNotEquals: { "s3:x-amz-acl": ["private", "public-read"] } }) },
    expect: "implicit-deny",
  },
  {
    name: "StringNotLike: a value that matches no pattern",
    page: "operators",
    req: request({}, { "s3:prefix": "home/alice" }),
    policies: { identity: withCondition({ StringNotLike: { "s3:prefix": ["home/bob*", "tmp/*"] } }) },
    expect: "allow",
  },
  {
    name: "StringLike with ? matches exactly one character",
    page: "operators",
    req: request({}, { "s3:prefix": "log-12" }),
    policies: { identity: withCondition({ StringLike: { "s3:prefix": "log-?" } }) },
    expect: "implicit-deny",
  },
  {
    name: "StringEquals is case-sensitive",
    page: "operators",
    req: request({}, { "s3:x-amz-acl": "Bucket-Owner-Full-Control" }),
    policies: { identity: withCondition({ StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } }) },
    expect: "implicit-deny",
  },
  {
    name: "NumericEquals compares numbers, not text",
    page: "operators",
    req: request({}, { "s3:max-keys": "010" }),
    policies: { identity: withCondition({ NumericEquals: { "s3:max-keys": "10" } }) },
    expect: "allow",
  },
  {
    name: "NumericNotEquals",
    page: "operators",
    req: request({}, { "s3:max-keys": "10" }),
    policies: { identity: withCondition({ NumericNotEquals: { "s3:max-keys": "10" } }) },
    expect: "implicit-deny",
  },
  {
    name: "DateEquals with the same instant written two ways",
    page: "operators",
    req: request({}, { "aws:TokenIssueTime": "2026-01-01T00:00:00Z" }),
    policies: { identity: withCondition({ DateEquals: { "aws:TokenIssueTime": "1767225600" } }) },
    expect: "allow",
  },
  {
    name: "Bool is case-insensitive in its values",
    page: "operators",
    policies: { identity: withCondition({ Bool: { "aws:SecureTransport": "TRUE" } }) },
    expect: "allow",
  },
  {
    name: "IpAddress with a single address (no prefix length)",
    page: "operators",
    req: request({}, { "aws:SourceIp": "203.0.113.7" }),
    policies: { identity: withCondition({ IpAddress: { "aws:SourceIp": "203.0.113.7" } }) },
    expect: "allow",
  },
  {
    name: "NotIpAddress inside the range is false",
    page: "operators",
    req: request({}, { "aws:SourceIp": "203.0.113.7" }),
    policies: { identity: withCondition({ NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } }) },
    expect: "implicit-deny",
  },
  {
    name: "ArnEquals matches each part with wildcards, like ArnLike",
    page: "operators",
    policies: { identity: withCondition({ ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${A}:role/*` } }) },
    expect: "allow",
  },
  {
    name: "ArnLike does not let a wildcard cross the account part",
    page: "operators",
    policies: { identity: withCondition({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::444455556666:*" } }) },
    expect: "implicit-deny",
  },
  {
    name: "a negated ...IfExists on an absent key is true",
    page: "operators",
    policies: { identity: withCondition({ StringNotEqualsIfExists: { "s3:x-amz-acl": "public-read" } }) },
    expect: "allow",
  },
  {
    name: "a Deny whose condition is not met does not apply",
    page: "logic",
    policies: {
      identity: identity(allow(), deny({ Condition: { Bool: { "aws:SecureTransport": "false" } } })),
    },
    expect: "allow",
  },
  {
    name: "Allow with NotResource: another bucket is allowed, the named one is not",
    page: "notResource",
    policies: { identity: identity(allow({ Resource: undefined, NotResource: "arn:aws:s3:::acme-logs/*" })) },
    expect: "implicit-deny",
  },
  {
    name: "an action wildcard with ? matches one character",
    page: "action",
    req: request({ action: "s3:PutObjectAcl" }),
    policies: { identity: identity(allow({ Action: "s3:PutObject???" })) },
    expect: "allow",
  },
  // condition-keys, aws:PrincipalArn: for a role session it is the role's ARN. A caller known only by
  // its account (which of its roles calls is not known) has some arn:aws:iam::<account>:... ARN.
  ...(
    [
      ["ArnLike over the whole account: every principal of it matches", "ArnLike", `arn:aws:iam::${B}:*`, "allow"],
      ["StringLike over the whole account: every principal of it matches", "StringLike", `arn:aws:iam::${B}*`, "allow"],
      ["ArnLike on one kind of principal: depends on which calls", "ArnLike", `arn:aws:iam::${B}:role/*`, "undecided"],
      [
        "ArnLike over another account: none of this account's principals",
        "ArnLike",
        `arn:aws:iam::${A}:*`,
        "implicit-deny",
      ],
      ["ArnNotLike over the whole account: never holds", "ArnNotLike", `arn:aws:iam::${B}:*`, "implicit-deny"],
    ] as const
  ).map(
    ([name, op, value, expect]): Case => ({
      name: `aws:PrincipalArn of a caller known by its account: ${name}`,
      page: "logic",
      req: { ...request({ principal: { type: "AWS", account: B } }), unknowable: ["aws:PrincipalArn"] },
      policies: {
        identity: undefined,
        resource: bucket(allow({ Principal: { AWS: B }, Condition: { [op]: { "aws:PrincipalArn": value } } })),
      },
      expect,
    }),
  ),
  // principal, "AWS account principals": an account entry delegates to the account's own policies;
  // naming a role beside it makes a direct grant to that role, not to everyone in the account.
  {
    name: "same account: a statement naming the account and another role is no direct grant to this role",
    page: "principal",
    policies: {
      identity: [],
      resource: bucket(allow({ Principal: { AWS: [`arn:aws:iam::${A}:root`, `arn:aws:iam::${A}:role/Other`] } })),
    },
    expect: "implicit-deny",
  },
  {
    name: "same account: a statement naming the account and this role is a direct grant",
    page: "principal",
    policies: {
      identity: [],
      resource: bucket(allow({ Principal: { AWS: [`arn:aws:iam::${A}:root`, ROLE] } })),
    },
    expect: "allow",
  },
];

describe("IAM evaluator: AWS's documented outcomes", () => {
  it("has at least 100 reference cases", () => expect(CASES.length).toBeGreaterThanOrEqual(100));
  it.each(CASES.map((c) => [`${c.name} (${c.page})`, c] as const))("%s", (_name, c) => {
    expect(evaluateRequest(c.req ?? request(), c.policies).decision, PAGES[c.page]).toBe(c.expect);
  });
});

describe("IAM evaluator: three-valued answers", () => {
  const unknowableIp = { ...request(), unknowable: ["aws:SourceIp"] };

  it("an Allow that needs a value the request does not determine is undecided, naming key, policy and statement", () => {
    const d = evaluateRequest(unknowableIp, {
      identity: [
        {
          name: "inline policy write",
          document: policy(
            allow({ Sid: "OnlyOffice", Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } }),
          ),
        },
      ],
    });
    expect(d.decision).toBe("undecided");
    expect(d.undecided).toMatchObject({
      key: "aws:SourceIp",
      policy: "inline policy write",
      statement: 'statement "OnlyOffice"',
    });
  });

  it("an undecided Deny with no Allow is still a decided 'not allowed'", () => {
    const d = evaluateRequest(unknowableIp, {
      identity: identity(deny({ Condition: { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } } })),
    });
    expect(d.allowed).toBe(false);
  });

  it("an undecided Deny over an Allow is undecided, pointing at the Deny (its 1-based position)", () => {
    const d = evaluateRequest(unknowableIp, {
      identity: identity(allow(), deny({ Condition: { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } } })),
    });
    expect(d.decision).toBe("undecided");
    expect(d.undecided).toMatchObject({ key: "aws:SourceIp", statement: "statement #2" });
  });

  it("Null on a key whose value is unknown but present is decided", () => {
    expect(
      evaluateRequest(unknowableIp, { identity: withCondition({ Null: { "aws:SourceIp": "false" } }) }).decision,
    ).toBe("allow");
  });

  it("a statement naming one session of the caller's role, when the session name is not known, is undecided", () => {
    const session = `arn:aws:sts::${A}:assumed-role/Writer/cloudsmith-1`;
    const req = { ...request(), principal: { type: "AWS" as const, account: A, arn: ROLE } };
    const d = evaluateRequest(req, {
      identity: identity(allow()),
      resource: bucket(deny({ Principal: { AWS: session } })),
    });
    expect(d.decision).toBe("undecided");
    expect(d.undecided).toMatchObject({ key: "the role session name" });
    // With the session known, it is decided either way.
    expect(
      evaluateRequest(
        { ...req, principal: { ...req.principal, sessionArn: session } },
        { identity: identity(allow()), resource: bucket(deny({ Principal: { AWS: session } })) },
      ).decision,
    ).toBe("explicit-deny");
  });

  it("a caller known only by its account, against a statement naming one principal of that account, is undecided", () => {
    const req = request({ principal: { type: "AWS", account: B } });
    const d = evaluateRequest(req, {
      resource: bucket(allow({ Principal: { AWS: `arn:aws:iam::${B}:role/Exporter` } })),
    });
    expect(d.decision).toBe("undecided");
    expect(
      evaluateRequest(req, { resource: bucket(allow({ Principal: { AWS: `arn:aws:iam::${A}:role/Exporter` } })) })
        .decision,
    ).toBe("implicit-deny");
  });

  it("names the statements that decided: the Deny that applies, by Sid or position", () => {
    const d = evaluateRequest(request(), {
      identity: identity(allow()),
      resource: bucket(allow({ Principal: "*", Action: "s3:GetObject" }), deny({ Sid: "NoWrites", Principal: "*" })),
    });
    expect(d.deniedBy).toEqual([
      { policy: "the bucket policy of s3://acme-logs", statement: 'statement "NoWrites"', via: "s3:*" },
    ]);
  });
});
