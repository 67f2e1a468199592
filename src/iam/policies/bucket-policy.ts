import { type PolicyDocument, policy, type Statement } from "./types.js";

export const TLS_ONLY_SID = "DenyInsecureTransport";
export const CLOUDTRAIL_ACL_SID = "AWSCloudTrailAclCheck";
export const CLOUDTRAIL_WRITE_SID = "AWSCloudTrailWrite";
export const CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com";

/** Deny any request to the bucket or its objects that is not over TLS. */
export function tlsOnlyStatement(bucketArn: string): Statement {
  return {
    Sid: TLS_ONLY_SID,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * What CloudTrail needs to deliver a single-account trail, scoped to that
 * trail with aws:SourceArn (confused-deputy protection).
 */
export function cloudTrailStatements(args: {
  bucketArn: string;
  keyPrefix: string;
  accountId: string;
  trailArn: string;
}): Statement[] {
  return [
    {
      Sid: CLOUDTRAIL_ACL_SID,
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "s3:GetBucketAcl",
      Resource: args.bucketArn,
      Condition: { StringEquals: { "aws:SourceArn": args.trailArn } },
    },
    {
      Sid: CLOUDTRAIL_WRITE_SID,
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "s3:PutObject",
      Resource: cloudTrailWriteResource(args),
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": args.trailArn } },
    },
  ];
}

/** `arn:aws:s3:::bucket/[prefix/]AWSLogs/<account>/*` */
export const cloudTrailWriteResource = (args: { bucketArn: string; keyPrefix: string; accountId: string }): string =>
  `${args.bucketArn}/${args.keyPrefix}AWSLogs/${args.accountId}/*`;

export const bucketPolicy = (statements: Statement[]): PolicyDocument => policy(...statements);
