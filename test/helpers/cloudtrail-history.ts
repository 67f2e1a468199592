/**
 * Signed CloudTrail histories in the emulator, for differential tests of the
 * integrity validator against `aws cloudtrail validate-logs`: signing keys the
 * test makes (served by the emulator's ListPublicKeys), a trail in moto, and
 * a history written by the emulator itself (test/emulator/cloudtrail_history.py).
 */
import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";

export interface SigningKey {
  fingerprint: string;
  privatePem: string;
  /** base64 DER PKCS#1, as ListPublicKeys returns it. */
  publicB64: string;
}

export function signingKey(fingerprint: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    fingerprint,
    privatePem: privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
    publicB64: publicKey.export({ format: "der", type: "pkcs1" }).toString("base64"),
  };
}

/** Writes the keys ListPublicKeys serves, each valid over [start, end] (epoch seconds). */
export async function publishKeys(file: string, keys: Array<{ key: SigningKey; start: number; end: number }>) {
  await writeFile(
    file,
    JSON.stringify(
      keys.map((k) => ({ fingerprint: k.key.fingerprint, value: k.key.publicB64, start: k.start, end: k.end })),
    ),
  );
}

export interface HistorySpec {
  bucket: string;
  prefix?: string;
  account?: string;
  region?: string;
  trail: string;
  org?: string;
  /** Epoch seconds of the first hour (on the hour). */
  start: number;
  hours: number;
  logsPerHour?: number;
  /** Full CodeArtifact records per log file (packages pkg-0, pkg-1, ... at 1.0.0); one bare record by default. */
  recordsPerLog?: number;
  emptyHours?: number[];
  keys: Array<{ key: SigningKey; fromHour: number }>;
  backfill?: { fromHour: number; toHour: number; generated: number; key: number };
}

export async function writeHistory(
  endpoint: string,
  spec: HistorySpec,
): Promise<{ digests: string[]; logs: string[] }> {
  const res = await fetch(`${endpoint}/_cle/cloudtrail-history`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      bucket: spec.bucket,
      prefix: spec.prefix ?? "",
      account: spec.account ?? "123456789012",
      region: spec.region ?? "us-east-1",
      trail: spec.trail,
      org: spec.org,
      start: spec.start,
      hours: spec.hours,
      logs_per_hour: spec.logsPerHour ?? 3,
      ...(spec.recordsPerLog !== undefined ? { records_per_log: spec.recordsPerLog } : {}),
      empty_hours: spec.emptyHours ?? [],
      keys: spec.keys.map((k) => ({
        private: k.key.privatePem,
        fingerprint: k.key.fingerprint,
        from_hour: k.fromHour,
      })),
      backfill: spec.backfill && {
        from_hour: spec.backfill.fromHour,
        to_hour: spec.backfill.toHour,
        generated: spec.backfill.generated,
        key: spec.backfill.key,
      },
    }),
  });
  const body = (await res.json()) as { digests: string[]; logs: string[]; error?: string };
  if (!res.ok) throw new Error(`the emulator could not write the history: ${body.error}`);
  return body;
}
