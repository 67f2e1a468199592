import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { Construct } from "constructs";
import type { PolicyDocument } from "../../src/iam/policies/types.js";
import { stableJson } from "../../src/util/stable-json.js";

export const SIEM_READER_POLICY_NAME = "cloudsmith-log-export-siem-reader";

export interface SiemReaderRoleProps {
  readonly roleName: string;
  readonly trustPolicy: PolicyDocument;
  /** Read the log files, consume the queues, decrypt what that needs: nothing else. */
  readonly policy: PolicyDocument;
}

/** The role the SIEM assumes to read the notifications and the files they name. */
export class SiemReaderRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: SiemReaderRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      path: "/",
      description: "Read-only: a SIEM reads Cloudsmith's exports and the trail's files through SQS notifications",
      assumeRolePolicy: stableJson(props.trustPolicy),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, "reader_policy", {
      name: SIEM_READER_POLICY_NAME,
      role: this.role.id,
      policy: stableJson(props.policy),
    });
  }
}
