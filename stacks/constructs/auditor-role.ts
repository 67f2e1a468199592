import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { Construct } from "constructs";
import type { PolicyDocument } from "../../src/iam/policies/types.js";
import { stableJson } from "../../src/util/stable-json.js";

export const AUDITOR_POLICY_NAME = "cloudsmith-log-export-verify";

export interface AuditorRoleProps {
  readonly roleName: string;
  readonly trustPolicy: PolicyDocument;
  /** Read-only: exactly the calls `verify` makes (verify --print-iam-policy). */
  readonly policy: PolicyDocument;
}

/** The read-only role CI runs `verify` as, for a scheduled drift check. */
export class AuditorRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: AuditorRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      path: "/",
      description: "Read-only: cloudsmith-log-export verify in CI (drift check)",
      assumeRolePolicy: stableJson(props.trustPolicy),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, "verify_policy", {
      name: AUDITOR_POLICY_NAME,
      role: this.role.id,
      policy: stableJson(props.policy),
    });
  }
}
