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

const REQUIRED = [
  "digestPublicKeyFingerprint",
  "digestS3Bucket",
  "digestS3Object",
  "previousDigestSignature",
  "digestEndTime",
  "digestStartTime",
] as const;

export type LoadedDigest =
  | { kind: "valid"; doc: DigestFile; raw: Buffer; signature: string }
  | { kind: "missing" }
  | { kind: "invalid"; reason: string }
  /** Not read within the tool's bounds (larger than any digest CloudTrail writes): undecided, ERROR. */
  | { kind: "unreadable"; reason: string };

/**
 * Checks one fetched digest the way `aws cloudtrail validate-logs` does: gzip
 * and JSON, the signature metadata (and a backfill digest's generation time),
 * the required fields, its own location, a public key for its fingerprint,
 * and the SHA256withRSA signature.
 */
export async function checkDigest(
  fetched: { body: Buffer; metadata: Record<string, string> },
  where: { bucket: string; key: string; backfill: boolean },
  keyFor: (fingerprint: string, backfillTime?: Date) => Promise<KeyObject | undefined>,
): Promise<LoadedDigest> {
  let doc: DigestFile;
  try {
    doc = JSON.parse(fetched.body.toString("utf8")) as DigestFile;
  } catch {
    return { kind: "invalid", reason: "invalid format" };
  }
  const signature = fetched.metadata.signature;
  if (signature === undefined || fetched.metadata["signature-algorithm"] === undefined)
    return { kind: "invalid", reason: "signature verification failed (no signature metadata)" };
  const generated = fetched.metadata["backfill-generation-timestamp"];
  if (where.backfill && generated === undefined)
    return { kind: "invalid", reason: "invalid format (no backfill-generation-timestamp)" };
  if (typeof doc !== "object" || doc === null || REQUIRED.some((k) => !(k in doc)))
    return { kind: "invalid", reason: "invalid format" };
  if (doc.digestS3Bucket !== where.bucket || doc.digestS3Object !== where.key)
    return { kind: "invalid", reason: "has been moved from its original location" };
  const key = await keyFor(doc.digestPublicKeyFingerprint, generated ? new Date(generated) : undefined);
  if (!key)
    return { kind: "invalid", reason: `public key not found for fingerprint ${doc.digestPublicKeyFingerprint}` };
  let ok: boolean;
  try {
    ok = verifyDigestSignature(doc, fetched.body, signature, key);
  } catch {
    ok = false;
  }
  return ok
    ? { kind: "valid", doc, raw: fetched.body, signature }
    : { kind: "invalid", reason: "signature verification failed" };
}
