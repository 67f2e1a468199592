import { partition } from "../../../config/derived.js";
import { read, Undecidable } from "../../../engine/fact.js";
import { fail, type Outcome, pass } from "../../../engine/rule.js";
import { evaluateRequest } from "../../../iam/eval/evaluate.js";
import { OUTSIDER_UNKNOWABLE, type Principal, type Request } from "../../../iam/eval/request.js";
import { isUndecided } from "../../../iam/eval/tri.js";
import { asArray, type PolicyDocument, type Statement } from "../../../iam/policies/types.js";
import type { QueryRule } from "../facts.js";
import { noQueryLayer, queryOf } from "./helpers.js";

/** An account that is not the customer's. */
const OTHER = "111122223333";
const ACTIONS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:ListBucket",
  "s3:GetBucketPolicy",
  "s3:PutBucketPolicy",
];

/** Everyone outside the account: anonymous, a role elsewhere, and every other account the policy names. */
function outsiders(policy: PolicyDocument, account: string): Array<{ who: string; caller: Principal }> {
  const named = new Set<string>();
  for (const st of asArray(policy.Statement as Statement | Statement[]))
    if (st.Principal && st.Principal !== "*")
      for (const p of asArray(st.Principal.AWS)) {
        const a = /(\d{12})/.exec(p)?.[1];
        if (a && a !== account) named.add(a);
      }
  return [
    { who: "an anonymous caller", caller: { type: "Anonymous" } },
    ...[OTHER, ...named].map((a) => ({
      who: `a role in account ${a}`,
      caller: { type: "AWS" as const, account: a, arn: `arn:aws:iam::${a}:role/outsider` },
    })),
  ];
}

function request(caller: Principal, action: string, resource: string, account: string): Request {
  return {
    principal: caller,
    action,
    resource,
    resourceAccount: account,
    context: {
      "aws:SecureTransport": "true",
      "aws:ResourceAccount": account,
      "aws:PrincipalIsAWSService": "false",
      "aws:ViaAWSService": "false",
      ...(caller.account ? { "aws:PrincipalAccount": caller.account, "aws:PrincipalArn": caller.arn ?? "" } : {}),
    },
    unknowable: OUTSIDER_UNKNOWABLE,
  };
}

export const queryResultsPrivate: QueryRule = {
  id: "query.results-private",
  title: "Query results are in a private, encrypted bucket",
  severity: "high",
  rationale:
    "Every investigation writes its answer (users, IPs, packages) to the results bucket. It must be as private as the logs: all four Block Public Access settings, default encryption, and a policy that grants nothing outside the account.",
  remediation: {
    terraform:
      "Run synth again and terraform apply: the results bucket is generated with the export bucket's protections.",
    console:
      "S3 > (results bucket) > Permissions: Block all public access on, bucket policy scoped to the account; Properties: default encryption.",
  },
  docs: "The results bucket must exist, have all four Block Public Access settings on and default encryption, and its policy must refuse GetObject, PutObject, DeleteObject, ListBucket, GetBucketPolicy and PutBucketPolicy on the bucket and on a results object to an anonymous caller, a role in another account, and every other account the policy names (IAM's evaluation logic). A condition the request does not determine (a source IP) is ERROR.",
  notApplicable: noQueryLayer,
  evaluate(facts): Outcome {
    const cfg = facts.config;
    const b = queryOf(facts).results;
    const resource = `s3://${b.name}`;
    if (!read(b.exists, `bucket ${b.name}`))
      return fail(resource, "the results bucket does not exist: run synth and terraform apply");
    const wrong: string[] = [];
    const pab = read(b.publicAccessBlock, `the public access block of ${b.name}`);
    const off = pab
      ? Object.entries(pab)
          .filter(([, v]) => !v)
          .map(([k]) => k)
      : ["all four settings"];
    if (off.length > 0) wrong.push(`Block Public Access is off: ${off.join(", ")}`);
    const enc = read(b.encryption, `the default encryption of ${b.name}`);
    if (!enc) wrong.push("no default encryption");
    const doc = read(b.policy, `the policy of ${b.name}`);
    if (doc) {
      const arn = `arn:${partition(cfg)}:s3:::${b.name}`;
      const probes = [arn, `${arn}/${cfg.query!.athena!.resultsPrefix}/probe.csv`];
      const open: string[] = [];
      for (const { who, caller } of outsiders(doc, cfg.accountId))
        for (const action of ACTIONS)
          for (const res of probes) {
            const d = evaluateRequest(request(caller, action, res, cfg.accountId), {
              resource: { name: `the bucket policy of ${resource}`, document: doc },
            });
            if (d.allowed === true) open.push(`${who} can ${action}`);
            else if (isUndecided(d.allowed))
              throw new Undecidable("ERROR", `cannot tell whether ${who} can ${action} on ${res}`);
          }
      if (open.length > 0) wrong.push(`open outside the account: ${[...new Set(open)].join("; ")}`);
    }
    return wrong.length > 0
      ? fail(resource, wrong.join("; "))
      : pass(resource, `private (Block Public Access, ${enc}, nothing granted outside the account)`);
  },
};
