import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant/index.js";
import { Construct } from "constructs";

export interface KmsWriterGrantProps {
  readonly keyArn: string;
  readonly granteeRoleArn: string;
}

/**
 * Lets the writer role use the bucket's customer key without editing the key
 * policy (which this tool does not own): a KMS grant for GenerateDataKey only.
 */
export class KmsWriterGrant extends Construct {
  constructor(scope: Construct, id: string, props: KmsWriterGrantProps) {
    super(scope, id);
    new KmsGrant(this, "grant", {
      name: "cloudsmith-log-export-writer",
      keyId: props.keyArn,
      granteePrincipal: props.granteeRoleArn,
      operations: ["GenerateDataKey"],
    });
  }
}
