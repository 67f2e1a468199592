/** `verify --print-iam-policy`: the policy on stdout (JSON, ready for a role), what it assumes on stderr. */
import type { Config } from "../config/schema.js";
import { type PolicyOptions, verifierPolicy } from "./iam-policy.js";

export function printIamPolicy(cfgs: readonly Config[], o: PolicyOptions, assumeRoleArn?: string): string {
  const notes: string[] = [];
  if (cfgs.some((c) => c.cloudtrail.mode === "existing"))
    notes.push(
      "an existing trail's bucket is read from GetTrail at run time: its statements name arn:...:s3:::*; replace * with that bucket",
    );
  if (assumeRoleArn)
    notes.push(
      `this is the policy of ${assumeRoleArn} in each account; the identity running verify needs sts:AssumeRole on it`,
    );
  if (o.analyzer === false) notes.push("without Access Analyzer (--endpoint-url): on AWS, verify also calls it");
  for (const n of notes) process.stderr.write(`note: ${n}\n`);
  return `${JSON.stringify(verifierPolicy(cfgs, o), null, 2)}\n`;
}
