import { Undecidable } from "../../../engine/fact.js";
import { fail, pass } from "../../../engine/rule.js";
import { evaluateRequest } from "../../../iam/eval/evaluate.js";
import { OUTSIDER_UNKNOWABLE, type Principal, type Request } from "../../../iam/eval/request.js";
import { isUndecided } from "../../../iam/eval/tri.js";
import { namedCallers, OTHER_ACCOUNT } from "../../assume-role.js";
import { describeDecision, where } from "../../refusals.js";
import type { SiemRule } from "../facts.js";
import { eachQueue, noSiem, queueResource, s3ServiceRequest } from "./helpers.js";

/** Someone other than S3 sending to the queue. */
function callerSends(caller: Principal, queueArn: string, account: string): Request {
  return {
    principal: caller,
    action: "sqs:SendMessage",
    resource: queueArn,
    resourceAccount: account,
    context: {
      "aws:SecureTransport": "true",
      "aws:PrincipalIsAWSService": "false",
      "aws:ViaAWSService": "false",
      ...(caller.account ? { "aws:PrincipalAccount": caller.account } : {}),
      ...(caller.arn ? { "aws:PrincipalArn": caller.arn } : {}),
    },
    unknowable: OUTSIDER_UNKNOWABLE,
  };
}

export const siemQueuePolicy: SiemRule = {
  id: "siem.queue-policy",
  title: "S3 can send this bucket's notifications to the queue, and nobody else can send",
  severity: "high",
  rationale:
    "Without a queue policy allowing s3.amazonaws.com, S3 cannot deliver and the SIEM sees nothing. Without aws:SourceArn and aws:SourceAccount, any bucket in any account can make S3 send to your queue: a SIEM that trusts the queue then reads events someone else chose (the confused-deputy problem).",
  remediation: {
    terraform:
      "Run synth again and terraform apply: the generated aws_sqs_queue_policy allows S3 for this bucket and account only.",
    console:
      'SQS > (queue) > Access policy: one statement, Principal {"Service": "s3.amazonaws.com"}, Action sqs:SendMessage, Condition ArnEquals aws:SourceArn = the bucket ARN and StringEquals aws:SourceAccount = your account.',
  },
  docs: "Evaluates, against the queue's policy (IAM's evaluation logic), S3 sending a notification for this bucket in this account (must be allowed), then S3 sending for another bucket of the account, for a bucket in another account, for this bucket name in another account (a bucket deleted and re-created elsewhere), an anonymous caller, a role in another account and every other principal the policy names: each must be refused. A condition that cannot be decided is ERROR.",
  notApplicable: noSiem,
  evaluate(facts) {
    const cfg = facts.config;
    return eachQueue(facts, (f, q) => {
      const resource = queueResource(f);
      if (!q.policy) return fail(resource, "the queue has no policy: S3 cannot send its notifications");
      const resourcePolicy = { resource: { name: `the policy of ${resource}`, document: q.policy } };
      const own = evaluateRequest(
        s3ServiceRequest("sqs:SendMessage", f.feed.queueArn, cfg.accountId, {
          arn: f.feed.bucketArn,
          account: cfg.accountId,
        }),
        resourcePolicy,
      );
      if (isUndecided(own.allowed))
        throw new Undecidable(
          "ERROR",
          `cannot tell whether S3 can send for ${f.feed.bucket}: ${describeDecision(own)}`,
        );
      if (own.allowed !== true)
        return fail(resource, `S3 cannot send ${f.feed.bucket}'s notifications: ${describeDecision(own)}`);
      const probes: Array<{ who: string; request: Request }> = [
        {
          who: `S3 for another bucket of ${cfg.accountId} (another-bucket)`,
          request: s3ServiceRequest("sqs:SendMessage", f.feed.queueArn, cfg.accountId, {
            arn: f.feed.bucketArn.replace(/[^:]+$/, "another-bucket"),
            account: cfg.accountId,
          }),
        },
        {
          who: `S3 for a bucket in another account (${OTHER_ACCOUNT})`,
          request: s3ServiceRequest("sqs:SendMessage", f.feed.queueArn, cfg.accountId, {
            arn: f.feed.bucketArn.replace(/[^:]+$/, "another-bucket"),
            account: OTHER_ACCOUNT,
          }),
        },
        {
          who: `S3 for a bucket named ${f.feed.bucket} in another account (${OTHER_ACCOUNT})`,
          request: s3ServiceRequest("sqs:SendMessage", f.feed.queueArn, cfg.accountId, {
            arn: f.feed.bucketArn,
            account: OTHER_ACCOUNT,
          }),
        },
        { who: "an anonymous caller", request: callerSends({ type: "Anonymous" }, f.feed.queueArn, cfg.accountId) },
        {
          who: `a role in another account (${OTHER_ACCOUNT})`,
          request: callerSends(
            { type: "AWS", account: OTHER_ACCOUNT, arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/outsider` },
            f.feed.queueArn,
            cfg.accountId,
          ),
        },
        ...namedCallers(q.policy, [cfg.accountId])
          .filter(({ caller }) => caller.type === "AWS")
          .map(({ who, caller }) => ({ who, request: callerSends(caller, f.feed.queueArn, cfg.accountId) })),
      ];
      const open: string[] = [];
      for (const p of probes) {
        const d = evaluateRequest(p.request, resourcePolicy);
        if (d.allowed === true) open.push(`${p.who} can send (allowed by ${d.allowedBy.map(where).join("; ")})`);
        else if (isUndecided(d.allowed))
          throw new Undecidable("ERROR", `cannot tell whether ${p.who} can send: ${describeDecision(d)}`);
      }
      return open.length > 0
        ? fail(resource, open.join("; "))
        : pass(resource, `only S3, for ${f.feed.bucket} in ${cfg.accountId}, can send`);
    });
  },
};
