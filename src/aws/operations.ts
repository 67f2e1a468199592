/**
 * The IAM permission behind each AWS SDK operation the tool sends, as
 * `Service.Operation` (what --debug prints). Error messages name it, and the
 * verifier policy (verify/iam-policy.ts) is built from it.
 */
/** The IAM action each SDK operation (`Service.Operation`, as --debug prints it) needs; [] for none. */
export const OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  "STS.GetCallerIdentity": [],
  "IAM.GetRole": ["iam:GetRole"],
  "IAM.ListRolePolicies": ["iam:ListRolePolicies"],
  "IAM.GetRolePolicy": ["iam:GetRolePolicy"],
  "IAM.ListAttachedRolePolicies": ["iam:ListAttachedRolePolicies"],
  "IAM.GetPolicy": ["iam:GetPolicy"],
  "IAM.GetPolicyVersion": ["iam:GetPolicyVersion"],
  "S3.HeadBucket": ["s3:ListBucket"],
  "S3.GetBucketPolicy": ["s3:GetBucketPolicy"],
  "S3.GetBucketEncryption": ["s3:GetEncryptionConfiguration"],
  "S3.GetBucketOwnershipControls": ["s3:GetBucketOwnershipControls"],
  "S3.GetPublicAccessBlock": ["s3:GetBucketPublicAccessBlock"],
  "S3.GetBucketRequestPayment": ["s3:GetBucketRequestPayment"],
  "S3.GetBucketLifecycleConfiguration": ["s3:GetLifecycleConfiguration"],
  "S3.GetObjectLockConfiguration": ["s3:GetBucketObjectLockConfiguration"],
  "S3.ListObjectsV2": ["s3:ListBucket"],
  "S3.GetObject": ["s3:GetObject"],
  "CloudTrail.GetTrail": ["cloudtrail:GetTrail"],
  "CloudTrail.GetTrailStatus": ["cloudtrail:GetTrailStatus"],
  "CloudTrail.GetEventSelectors": ["cloudtrail:GetEventSelectors"],
  "CloudTrail.ListPublicKeys": ["cloudtrail:ListPublicKeys"],
  "KMS.GetKeyPolicy": ["kms:GetKeyPolicy"],
  "KMS.ListGrants": ["kms:ListGrants"],
  "AccessAnalyzer.ValidatePolicy": ["access-analyzer:ValidatePolicy"],
  "AccessAnalyzer.CheckNoNewAccess": ["access-analyzer:CheckNoNewAccess"],
  "KMS.DescribeKey": ["kms:DescribeKey"],
  "SQS.GetQueueUrl": ["sqs:GetQueueUrl"],
  "SQS.GetQueueAttributes": ["sqs:GetQueueAttributes"],
  "S3.GetBucketNotificationConfiguration": ["s3:GetBucketNotification"],
  "Glue.GetDatabase": ["glue:GetDatabase"],
  "Glue.GetTable": ["glue:GetTable"],
  "Athena.GetWorkGroup": ["athena:GetWorkGroup"],
  "Athena.StartQueryExecution": ["athena:StartQueryExecution"],
  "Athena.GetQueryExecution": ["athena:GetQueryExecution"],
  "Athena.GetQueryResults": ["athena:GetQueryResults"],
  "Athena.StopQueryExecution": ["athena:StopQueryExecution"],
};
