/** `verify --print-iam-policy`: the policy (JSON, ready for a role) and notes on what it assumes, for the CLI to print. */
import type { Config } from "../config/schema.js";
import { type PolicyOptions, verifierPolicy } from "./iam-policy.js";

export function printIamPolicy(
  cfgs: readonly Config[],
  o: PolicyOptions,
  assumeRoleArn?: string,
): { policy: string; notes: string[] } {
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
  return { policy: `${JSON.stringify(verifierPolicy(cfgs, o), null, 2)}\n`, notes };
}
