import { read } from "../../../../engine/fact.js";
import { fail, pass } from "../../../../engine/rule.js";
import type { DeploymentRule } from "../../facts.js";
import { presence, roleResource } from "../helpers.js";

export const roleExists: DeploymentRule = {
  id: "role.exists",
  title: "The role exists with the exact name and path /",
  severity: "critical",
  rationale:
    "Cloudsmith is told the role name only and builds the ARN with path /; any other name or path and every export fails.",
  remediation: {
    terraform: 'Apply the generated Terraform (aws_iam_role.cloudsmith_role: `name` = roleName, `path` = "/").',
    console: "IAM > Roles > Create role with exactly the configured name; do not use a path or name prefix.",
  },
  docs: "Reads the role by its configured name and checks the name (case-sensitive) and path.",
  evaluate(facts) {
    const cfg = facts.config;
    const role = read(facts.role, "the role");
    const where = presence(facts);
    if (!role) return fail(roleResource(cfg), `role ${cfg.roleName} ${where.isNot}`);
    if (role.name !== cfg.roleName)
      return fail(roleResource(cfg), `role is named ${role.name}, Cloudsmith was told ${cfg.roleName}`);
    if (role.path !== "/")
      return fail(
        roleResource(cfg),
        `role path is ${role.path}; Cloudsmith assumes arn:...:role/${cfg.roleName} with path /`,
      );
    return pass(roleResource(cfg), `role ${role.name} ${where.is} with path /`);
  },
};
