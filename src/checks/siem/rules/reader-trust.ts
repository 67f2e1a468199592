import { read, Undecidable } from "../../../engine/fact.js";
import { fail, pass } from "../../../engine/rule.js";
import { evaluateRequest } from "../../../iam/eval/evaluate.js";
import type { Principal } from "../../../iam/eval/request.js";
import { isUndecided } from "../../../iam/eval/tri.js";
import { readerAccountOf, siemOf, siemReaderArn } from "../../../siem/feeds.js";
import {
  type AssumeTarget,
  assumeRoleRequest,
  type Deputy,
  externalIdProbes,
  otherPrincipalProbes,
} from "../../assume-role.js";
import { describeDecision, mustBeRefused, refusalProblems } from "../../refusals.js";
import type { SiemRule } from "../facts.js";
import { noSiem, readerResource, siemFactsOf } from "./helpers.js";

/** The SIEM as a caller: its account (a root principal) or the one role the config names. */
function deputyOf(principal: string): Deputy {
  const account = readerAccountOf(principal);
  const caller: Principal = /:root$/.test(principal)
    ? { type: "AWS", account }
    : { type: "AWS", account, arn: principal };
  return {
    caller,
    name: `the SIEM's principal (${principal})`,
    possessive: "the SIEM's",
    issuer: "the SIEM",
    otherCustomer: "another customer of the SIEM",
  };
}

export const siemReaderTrust: SiemRule = {
  id: "siem.reader-trust",
  title: "Only the SIEM's principal can assume the reader, with its External ID",
  severity: "critical",
  rationale:
    "A SaaS SIEM assumes roles for all its customers: without an exact sts:ExternalId condition any of them could read your logs through it (the confused-deputy problem Cloudsmith's own role is guarded against). Any other principal in the trust policy is one more reader of every log.",
  remediation: {
    terraform:
      'Use the generated trust policy: Principal the SIEM\'s account or role, Condition {"StringEquals": {"sts:ExternalId": "<the ID the SIEM issued>"}}; then synth and terraform apply.',
    console:
      "IAM > Roles > (reader) > Trust relationships: only the SIEM's principal, with StringEquals sts:ExternalId = the ID the SIEM issued when it is in another account.",
  },
  docs: "Evaluates sts:AssumeRole against the reader's trust policy with the questions Cloudsmith's role answers (trust.external-id, trust.principal): the configured principal with the configured External ID must be allowed; when it is in another account it must be refused without an External ID, with another customer's, with every other ID the policy names, with values its wildcards admit and with the ID in another case; another account, an anonymous caller and every other principal the policy names must be refused even with the right ID. An open condition is ERROR.",
  notApplicable: noSiem,
  evaluate(facts) {
    const cfg = facts.config;
    const r = siemOf(cfg)!.reader;
    const reader = read(siemFactsOf(facts).reader, "the reader role");
    if (!reader) return fail(readerResource(cfg), "the reader role does not exist");
    const target: AssumeTarget = { roleArn: siemReaderArn(cfg), account: cfg.accountId };
    const deputy = deputyOf(r.principal);
    const policies = { resource: { name: `the trust policy of ${readerResource(cfg)}`, document: reader.trust } };
    const own = evaluateRequest(assumeRoleRequest(target, deputy.caller, r.externalId), policies);
    if (isUndecided(own.allowed))
      throw new Undecidable(
        "ERROR",
        `cannot tell whether ${deputy.name} can assume the reader: ${describeDecision(own)}`,
      );
    if (own.allowed !== true)
      return fail(readerResource(cfg), `${deputy.name} cannot assume the reader: ${describeDecision(own)}`);
    // The External ID guards a principal in another account; a role of your own needs none.
    const crossAccount = readerAccountOf(r.principal) !== cfg.accountId;
    const externalId = r.externalId ?? "no-external-id";
    const probes = [
      ...(crossAccount ? externalIdProbes(target, deputy, externalId, reader.trust) : []),
      ...otherPrincipalProbes(target, deputy, externalId, reader.trust),
    ];
    const problem = refusalProblems(mustBeRefused(probes, policies), "assume the reader");
    return problem
      ? fail(readerResource(cfg), problem)
      : pass(readerResource(cfg), crossAccount ? `only ${r.principal}, with its External ID` : `only ${r.principal}`);
  },
};
