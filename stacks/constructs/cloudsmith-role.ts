import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { Construct } from "constructs";
import type { PolicyDocument } from "../../src/iam/policies/types.js";
import { stableJson } from "../../src/util/stable-json.js";

export const WRITER_POLICY_NAME = "cloudsmith-log-export-write";

export interface CloudsmithRoleProps {
  /** Exact role name: Cloudsmith is told the name only, so no prefix/suffix and path "/". */
  readonly roleName: string;
  readonly trustPolicy: PolicyDocument;
  readonly writerPolicy: PolicyDocument;
}

/** The role Cloudsmith assumes, with its least-privilege writer policy inline (it lives and dies with the role). */
export class CloudsmithRole extends Construct {
  readonly role: IamRole;
  readonly writerPolicy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: CloudsmithRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      path: "/",
      description: "Assumed by Cloudsmith to export logs to S3 (cloudsmith-log-export)",
      assumeRolePolicy: stableJson(props.trustPolicy),
      maxSessionDuration: 3600,
    });
    this.writerPolicy = new IamRolePolicy(this, "writer_policy", {
      name: WRITER_POLICY_NAME,
      role: this.role.id,
      policy: stableJson(props.writerPolicy),
    });
  }
}
