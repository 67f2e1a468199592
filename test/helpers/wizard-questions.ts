/** The wizard's questions, in the order it asks them: the interactive tests (prompts and tmux) share one list. */

/** The questions from the bucket on, in order, for a new bucket with both log types and CloudTrail on. */
export const FROM_BUCKET = [
  /Bucket for the exports/,
  /Name for the new bucket/,
  /Which logs should Cloudsmith export/,
  /Prefix \(folder\) for client logs/,
  /Prefix \(folder\) for audit logs/,
  /Name of the IAM role/,
  /Export format/,
  /What should be exported/,
  /Which optional data/,
  /External ID from Cloudsmith/,
  /Audit trail for CodeArtifact/,
  /Trail name/,
  /Record S3 data events/,
  /Record all regions/,
  /Bucket encryption/,
  /How long must the logs be kept/,
  /Add an Athena query layer/,
  /Hand the logs to a SIEM/,
];
