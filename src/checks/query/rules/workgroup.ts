import { read } from "../../../engine/fact.js";
import { fail, pass } from "../../../engine/rule.js";
import { resultsLocation } from "../../../query/tables.js";
import type { QueryRule } from "../facts.js";
import { noQueryLayer, queryOf } from "./helpers.js";

export const queryWorkgroup: QueryRule = {
  id: "query.workgroup",
  title: "The workgroup enforces its results location, encryption and scan cutoff",
  severity: "high",
  rationale:
    "Query results are copies of log rows. A workgroup that does not enforce its settings lets a client write them unencrypted to any bucket, and without a bytes-scanned cutoff one careless query scans (and bills) every export.",
  remediation: {
    terraform: "Run synth again and terraform apply: aws_athena_workgroup's configuration is generated.",
    console:
      "Athena > Workgroups > (workgroup) > Edit: Override client-side settings, results location, encryption, data usage control.",
  },
  docs: "The workgroup must exist and be enabled, with EnforceWorkGroupConfiguration on, results under the configured results location, results encrypted (SSE_S3, SSE_KMS or CSE_KMS), the expected bucket owner set to the account, and a bytes-scanned cutoff no larger than the config's.",
  notApplicable: noQueryLayer,
  evaluate(facts) {
    const athena = facts.config.query!.athena!;
    const resource = `athena:workgroup/${athena.workgroup}`;
    const w = read(queryOf(facts).workgroup, `workgroup ${athena.workgroup}`);
    if (!w) return fail(resource, `no workgroup ${athena.workgroup}: run synth and terraform apply`);
    const wrong: string[] = [];
    const location = resultsLocation(facts.config, athena);
    if (w.state !== "ENABLED") wrong.push(`it is ${w.state ?? "in no state"}`);
    if (!w.enforce)
      wrong.push("it does not enforce its settings (clients may override the results location and encryption)");
    if (!w.outputLocation?.startsWith(location))
      wrong.push(`results go to ${w.outputLocation ?? "no location"}, expected ${location}`);
    if (!w.encryption) wrong.push("results are not encrypted");
    if (w.expectedBucketOwner !== facts.config.accountId)
      wrong.push(`the results bucket's owner is not checked (expected ${facts.config.accountId})`);
    const cutoff = athena.bytesScannedCutoffMb * 1_000_000;
    if (w.bytesScannedCutoff === undefined) wrong.push("no bytes-scanned cutoff");
    else if (w.bytesScannedCutoff > cutoff)
      wrong.push(`the bytes-scanned cutoff is ${w.bytesScannedCutoff}, above the configured ${cutoff}`);
    return wrong.length > 0
      ? fail(resource, wrong.join("; "))
      : pass(
          resource,
          `enforced: results in ${w.outputLocation} (${w.encryption}), cutoff ${w.bytesScannedCutoff} bytes`,
        );
  },
};
