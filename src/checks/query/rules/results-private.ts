import { read } from "../../../engine/fact.js";
import { fail, type Outcome, pass } from "../../../engine/rule.js";
import { judgeBucketPrivacy } from "../../deployment/rules/bucket/private.js";
import type { QueryRule } from "../facts.js";
import { noQueryLayer, queryOf } from "./helpers.js";

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
  docs: "The results bucket must exist, have all four Block Public Access settings on and default encryption, and its policy must refuse every request from outside the account (the same evaluation as bucket.private).",
  notApplicable: noQueryLayer,
  evaluate(facts): Outcome {
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
    const privacy = judgeBucketPrivacy(facts.config, b);
    if (privacy.status !== "PASS") wrong.push(privacy.message);
    return wrong.length > 0
      ? fail(resource, wrong.join("; "))
      : pass(resource, `private (Block Public Access, ${enc?.algorithm}, nothing granted outside the account)`);
  },
};
