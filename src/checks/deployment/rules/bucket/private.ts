import { bucketArn } from "../../../../config/derived.js";
import type { Config } from "../../../../config/schema.js";
import { read, Undecidable } from "../../../../engine/fact.js";
import { fail, type Outcome, pass } from "../../../../engine/rule.js";
import { evaluateRequest } from "../../../../iam/eval/evaluate.js";
import { candidateActions, candidateResources } from "../../../../iam/eval/grants.js";
import { principalCovered } from "../../../../iam/eval/match.js";
import type { Principal } from "../../../../iam/eval/request.js";
import { isUndecided } from "../../../../iam/eval/tri.js";
import { asArray, policy as policyOf, type Statement } from "../../../../iam/policies/types.js";
import { trailOff } from "../../../shared.js";
import type { BucketFacts, DeploymentRule } from "../../facts.js";
import { OTHER_ACCOUNT, outsiders, s3Request } from "../../requests.js";
import { bucketResource, describeDecision, probeObjects, where } from "../helpers.js";

/** A bound on the questions one bucket's policy may take: past it the rule is ERROR, never a long wait. */
const MAX_QUESTIONS = 200_000;

/** What an outsider would try first, besides what the policy itself names. */
const ALWAYS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:ListBucket",
  "s3:PutBucketPolicy",
  "s3:GetBucketAcl",
];

/** Whether any request from outside the account is allowed by the bucket's policy. */
function judgeBucketPrivacy(cfg: Config, b: BucketFacts): Outcome {
  const doc = read(b.policy, `the policy of ${b.name}`);
  if (!doc) return pass(bucketResource(b), "no bucket policy, so no grant to anyone outside the account");
  const policy = { name: `the bucket policy of ${bucketResource(b)}`, document: doc };
  const arn = bucketArn(cfg, b.name);
  const actions = candidateActions([doc], ALWAYS).filter((a) => a.toLowerCase().startsWith("s3:"));
  const inBucket = (r: string) => r === arn || r.startsWith(`${arn}/`);
  const probes = [arn, `${arn}/probe`, ...probeObjects(cfg).map((o) => o.arn)];
  const allows = asArray(doc.Statement as Statement | Statement[]).filter((s) => s.Effect === "Allow");
  // Each outsider is asked about the probes and about what the statements that may name it name:
  // another statement's resources cannot grant it anything. Statements are indexed by the accounts
  // their AWS principals name (a policy may name thousands); any other kind applies to everyone.
  const anyone: Statement[] = [];
  const byAccount = new Map<string, Statement[]>();
  for (const st of allows) {
    const p = st.Principal;
    const accounts = p === undefined || p === "*" ? undefined : asArray(p.AWS).map((v) => /(\d{12})/.exec(v)?.[1]);
    if (
      p === undefined ||
      p === "*" ||
      !accounts ||
      accounts.length === 0 ||
      accounts.some((x) => x === undefined) ||
      st.NotPrincipal !== undefined ||
      Object.keys(p).some((k) => k !== "AWS")
    )
      anyone.push(st);
    else for (const x of new Set(accounts as string[])) byAccount.set(x, [...(byAccount.get(x) ?? []), st]);
  }
  const resourcesFor = (caller: Principal) => {
    const mayName = [...anyone, ...(caller.account ? (byAccount.get(caller.account) ?? []) : [])];
    return candidateResources(
      [policyOf(...mayName.filter((st) => principalCovered(st, caller) !== false))],
      probes,
    ).filter(inBucket);
  };
  // A service acting for someone else: another account's resource as its source.
  const foreignSource = {
    "aws:SourceAccount": OTHER_ACCOUNT,
    "aws:SourceArn": `arn:aws:cloudtrail:${cfg.region}:${OTHER_ACCOUNT}:trail/outsider`,
  };
  const admitted = new Map<string, string[]>();
  let open: string | undefined;
  // Counted before any is asked: past the bound the rule says so at once.
  const plan = outsiders(cfg, doc).map((o) => ({ ...o, resources: resourcesFor(o.caller) }));
  const asked = plan.reduce((n, o) => n + actions.length * o.resources.length, 0);
  if (asked > MAX_QUESTIONS)
    throw new Undecidable(
      "ERROR",
      `the bucket policy of ${bucketResource(b)} (${allows.length} Allow statements, ${plan.length} principals, ${actions.length} actions) needs ${asked} questions, more than ${MAX_QUESTIONS}: not decided (split the policy, or suppress this rule with a reason)`,
    );
  for (const { who, caller, resources } of plan) {
    for (const action of actions) {
      for (const resource of resources) {
        const req = s3Request(cfg, caller, action, resource, caller.type === "Service" ? foreignSource : {});
        const d = evaluateRequest(req, { resource: policy });
        if (d.allowed === true) {
          const key = `${who} (${d.allowedBy.map(where).join("; ")})`;
          admitted.set(key, [...(admitted.get(key) ?? []), action]);
        } else if (isUndecided(d.allowed)) open ??= `${action} by ${who} on ${resource}: ${describeDecision(d)}`;
      }
    }
  }
  if (admitted.size > 0) {
    const lines = [...admitted].map(([who, what]) => {
      const uniq = [...new Set(what)];
      return `${who} can ${uniq.length > 6 ? `${uniq.slice(0, 6).join(", ")} and ${uniq.length - 6} more` : uniq.join(", ")}`;
    });
    return fail(bucketResource(b), `open outside the account: ${lines.join("; ")}`);
  }
  if (open) throw new Undecidable("ERROR", `cannot tell whether ${open}`);
  return pass(bucketResource(b), "no request from outside the account is allowed");
}

export const bucketPrivate: DeploymentRule = {
  id: "bucket.private",
  title: "The bucket policy grants nothing to anyone outside the account",
  severity: "critical",
  rationale:
    'Download and audit logs name users, IPs and packages. A bucket-policy Allow for Principal "*", another account, or a service acting for someone else exposes or corrupts them, and Block Public Access does not catch grants to named accounts.',
  remediation: {
    terraform:
      "Remove the statement the message names from aws_s3_bucket_policy, or scope it to your account (aws:PrincipalAccount) or your trail (aws:SourceArn).",
    console: "S3 > (bucket) > Permissions > Bucket policy: remove or scope the statement the message names.",
  },
  docs: "Evaluates, against the export bucket's policy (and the trail bucket's, when it is another bucket), every S3 action the policy's Allow statements name (plus GetObject, PutObject, DeleteObject, ListBucket, PutBucketPolicy and GetBucketAcl) on the bucket, its export prefixes, elsewhere in it and every resource the policy names, by an anonymous caller, a role in another account (111122223333), every principal of another account the policy names, and every service it names acting for another account's resource. Each must be refused; CloudTrail's delivery for your own trail is not an outsider's request. A condition the request does not determine (a source IP) is ERROR.",
  evaluate(facts) {
    const out = [judgeBucketPrivacy(facts.config, facts.exportBucket)];
    if (!trailOff(facts.config) && facts.trailBucket !== facts.exportBucket)
      out.push(judgeBucketPrivacy(facts.config, facts.trailBucket));
    return out;
  },
};
