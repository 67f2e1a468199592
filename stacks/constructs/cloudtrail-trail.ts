import { Cloudtrail, type CloudtrailAdvancedEventSelector } from "@cdktf/provider-aws/lib/cloudtrail/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DATA_EVENTS_SELECTOR_NAME } from "../../src/config/trail-selector.js";

export interface CloudTrailTrailProps {
  readonly name: string;
  readonly bucketName: string;
  /** @default no prefix */
  readonly keyPrefix?: string;
  /** @default true */
  readonly multiRegion?: boolean;
  /** Object ARN prefixes (`arn:aws:s3:::bucket/prefix/`) whose S3 data events are recorded. @default none */
  readonly dataEventArnPrefixes?: readonly string[];
  /** @default SSE-S3 on the log files */
  readonly kmsKeyArn?: string;
  /** The bucket policy granting CloudTrail access: the trail is created after it. */
  readonly bucketPolicy: ITerraformDependable;
}

/**
 * A trail that keeps CodeArtifact downloads: management events read AND write
 * (downloads are read-only management events), global service events, log
 * file validation, optional S3 data events scoped to the export prefixes.
 */
export class CloudTrailTrail extends Construct {
  readonly trail: Cloudtrail;

  constructor(scope: Construct, id: string, props: CloudTrailTrailProps) {
    super(scope, id);
    const selectors: CloudtrailAdvancedEventSelector[] = [
      // No readOnly field selector: read and write management events, from every source.
      {
        name: "Management events (read and write)",
        fieldSelector: [{ field: "eventCategory", equalTo: ["Management"] }],
      },
    ];
    if (props.dataEventArnPrefixes && props.dataEventArnPrefixes.length > 0) {
      selectors.push({
        name: DATA_EVENTS_SELECTOR_NAME,
        fieldSelector: [
          { field: "eventCategory", equalTo: ["Data"] },
          { field: "resources.type", equalTo: ["AWS::S3::Object"] },
          { field: "resources.ARN", startsWith: [...props.dataEventArnPrefixes] },
        ],
      });
    }
    this.trail = new Cloudtrail(this, "trail", {
      name: props.name,
      s3BucketName: props.bucketName,
      s3KeyPrefix: props.keyPrefix || undefined,
      isMultiRegionTrail: props.multiRegion ?? true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: props.kmsKeyArn,
      advancedEventSelector: selectors,
      dependsOn: [props.bucketPolicy],
    });
  }
}
