import { type PolicyDocument, policy, type Statement } from "./types.js";

export const WRITER_SID = "CloudsmithLogExportWrite";
export const WRITER_KMS_SID = "CloudsmithLogExportKms";
/** Exactly what Cloudsmith's documentation asks for; nothing more. */
export const WRITER_ACTIONS = ["s3:PutObject", "s3:PutObjectAcl"] as const;

/**
 * Least-privilege writer policy: put objects under each configured prefix.
 * With a customer KMS key on the bucket, writes also need kms:GenerateDataKey
 * on that key (Cloudsmith's documented policy has none, so SSE-KMS would fail).
 */
export function writerPolicy(args: { objectArns: string[]; kmsKeyArn?: string }): PolicyDocument {
  const statements: Statement[] = [
    { Sid: WRITER_SID, Effect: "Allow", Action: [...WRITER_ACTIONS], Resource: [...new Set(args.objectArns)].sort() },
  ];
  if (args.kmsKeyArn) {
    statements.push({ Sid: WRITER_KMS_SID, Effect: "Allow", Action: "kms:GenerateDataKey", Resource: args.kmsKeyArn });
  }
  return policy(...statements);
}
