import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import type { DeploymentRule } from "../../facts.js";
import { roleResource } from "../helpers.js";

export const analyzerNoNewAccess: DeploymentRule = {
  id: "analyzer.no-new-access",
  title: "IAM Access Analyzer: the deployed trust policy grants no access beyond the expected one",
  severity: "high",
  rationale:
    "A reasoning engine's second opinion: the deployed trust policy allows nothing the generated one does not.",
  remediation: {
    terraform: "Re-apply the generated trust policy.",
    console: "IAM > Roles > (role) > Trust relationships: replace it with the generated document.",
  },
  docs: "On AWS: CheckNoNewAccess with the deployed trust policy as new and the expected one as existing. Skipped on an emulator or a static source.",
  evaluate(facts) {
    const cfg = facts.config;
    const check = read(facts.analyzerNoNewAccess, "Access Analyzer CheckNoNewAccess");
    if (!check) return fail(roleResource(cfg), "no result from CheckNoNewAccess");
    return check.result === "PASS"
      ? pass(roleResource(cfg), "no new access")
      : fail(roleResource(cfg), `new access: ${check.message ?? check.result}`);
  },
};
