import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import type { DeploymentRule } from "../../facts.js";
import { roleResource } from "../helpers.js";

export const analyzerValidatePolicy: DeploymentRule = {
  id: "analyzer.validate-policy",
  title: "IAM Access Analyzer finds no errors or security warnings in the policies",
  severity: "medium",
  rationale: "Access Analyzer's policy grammar and security checks catch mistakes the rules here do not model.",
  remediation: {
    terraform: "Fix the policy statement the finding names.",
    console: "IAM > Roles > (role) > the policy: open it in the policy editor to see the finding.",
  },
  docs: "On AWS: ValidatePolicy on the trust policy (AWS::IAM::AssumeRolePolicyDocument) and the writer policy; ERROR and SECURITY_WARNING findings fail. Skipped on an emulator or a static source, which have no Access Analyzer.",
  evaluate(facts) {
    const cfg = facts.config;
    const findings = read(facts.analyzerFindings, "Access Analyzer findings") ?? [];
    const bad = findings.filter((f) => f.findingType === "ERROR" || f.findingType === "SECURITY_WARNING");
    return bad.length > 0
      ? fail(
          roleResource(cfg),
          bad.map((f) => `${f.policy} policy: ${f.findingType} ${f.issueCode}: ${f.message}`).join("; "),
        )
      : pass(roleResource(cfg), `no errors or security warnings (${findings.length} other finding(s))`);
  },
};
