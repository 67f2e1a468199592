/**
 * CloudTrail digest files and their signatures (AWS CloudTrail User Guide,
 * "CloudTrail digest file structure" and "Validating CloudTrail log file
 * integrity with the AWS CLI"): the document, the string CloudTrail signs, and
 * the SHA256withRSA check. Node's crypto only.
 */
import { createHash, type KeyObject, verify } from "node:crypto";

export interface PublicKeyInfo {
  fingerprint: string;
  /** DER-encoded PKCS#1 RSAPublicKey, as CloudTrail ListPublicKeys returns it. */
  der: Uint8Array;
}

/** Where public keys come from: CloudTrail ListPublicKeys, or a test's own key. */
export interface PublicKeySource {
  keys(start: Date, end: Date): Promise<PublicKeyInfo[]>;
}

export interface DigestFile {
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  logFiles: Array<{ s3Bucket: string; s3Object: string; hashValue: string; hashAlgorithm: string }>;
}

export const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

/** The string CloudTrail signs for a digest file. */
export function signingString(d: DigestFile, uncompressed: Uint8Array): string {
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${sha256(uncompressed)}\n${d.previousDigestSignature ?? "null"}`;
}

export function verifyDigestSignature(
  d: DigestFile,
  uncompressed: Uint8Array,
  signatureHex: string,
  key: KeyObject,
): boolean {
  if (!/^[0-9a-f]+$/i.test(signatureHex)) return false;
  return verify("RSA-SHA256", Buffer.from(signingString(d, uncompressed)), key, Buffer.from(signatureHex, "hex"));
}
