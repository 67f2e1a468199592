/**
 * Every policy the tool reads (from AWS, a synthesized file or a plan) reaches the evaluator
 * through this one check of its shape (IAM User Guide, "IAM JSON policy element reference" and
 * "Grammar of the IAM JSON policy language"): an object whose Statement is a statement or a list
 * of them, each with an Effect of Allow or Deny, an Action or NotAction, and elements of the types
 * the grammar allows. Anything else is not a policy: the rules that need it are ERROR, never PASS
 * (an array or a number read as "no statements" would pass every "nobody else may" question).
 */
import type { PolicyDocument } from "./types.js";

export class NotAPolicy extends Error {
  constructor(what: string, where: string, rule: string) {
    super(`${what} is not a policy document: ${where} ${rule}`);
    this.name = "NotAPolicy";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): boolean =>
  typeof v === "string" || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string"));
const isConditionValue = (v: unknown): boolean => {
  const one = (x: unknown) => typeof x === "string" || typeof x === "boolean" || typeof x === "number";
  return one(v) || (Array.isArray(v) && v.every(one));
};

/**
 * Past AWS's own size limits, a document is not a policy AWS holds: the largest, a KMS key
 * policy, is 32 KB (a bucket policy 20 KB, a managed policy 6,144 characters, a trust policy
 * 4,096), and the shortest statement takes about 40 characters. The bounds keep the evaluator's
 * questions bounded too: a document past them is ERROR, never evaluated for minutes.
 */
export const MAX_POLICY_CHARACTERS = 64 * 1024;
const MAX_STATEMENTS = 1_000;

/** The document, if it has a policy's shape; else a NotAPolicy naming the element and the rule. */
export function validatePolicy(doc: unknown, what: string): PolicyDocument {
  const bad = (where: string, rule: string) => new NotAPolicy(what, where, rule);
  if (!isObject(doc))
    throw bad(
      "the document",
      `must be a JSON object, not ${Array.isArray(doc) ? "an array" : typeof doc === "object" ? "null" : `a ${typeof doc}`}`,
    );
  const statements = doc.Statement;
  if (statements === undefined) throw bad("Statement", "is missing");
  const size = JSON.stringify(doc).length;
  if (size > MAX_POLICY_CHARACTERS)
    throw bad(
      "the document",
      `has ${size} characters, more than any policy AWS accepts (a key policy, the largest, is at most 32 KB)`,
    );
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length > MAX_STATEMENTS) throw bad("Statement", `has ${list.length} entries, more than ${MAX_STATEMENTS}`);
  list.forEach((s, i) => {
    const at = Array.isArray(statements) ? `Statement[${i}]` : "Statement";
    if (!isObject(s))
      throw bad(at, `must be an object, not ${s === null ? "null" : Array.isArray(s) ? "an array" : `a ${typeof s}`}`);
    if (s.Effect !== "Allow" && s.Effect !== "Deny") throw bad(`${at}.Effect`, "must be Allow or Deny");
    if ((s.Action === undefined) === (s.NotAction === undefined))
      throw bad(at, "must have exactly one of Action and NotAction");
    for (const key of ["Action", "NotAction", "Resource", "NotResource"] as const)
      if (s[key] !== undefined && !isStrings(s[key]))
        throw bad(`${at}.${key}`, "must be a string or a list of strings");
    if (s.Resource !== undefined && s.NotResource !== undefined)
      throw bad(at, "must not have both Resource and NotResource");
    for (const key of ["Principal", "NotPrincipal"] as const) {
      const p = s[key];
      if (p === undefined || p === "*") continue;
      if (!isObject(p) || !Object.values(p).every(isStrings))
        throw bad(`${at}.${key}`, 'must be "*" or an object of strings or lists of strings');
    }
    if (s.Sid !== undefined && typeof s.Sid !== "string") throw bad(`${at}.Sid`, "must be a string");
    if (s.Condition !== undefined) {
      if (!isObject(s.Condition)) throw bad(`${at}.Condition`, "must be an object");
      for (const [op, byKey] of Object.entries(s.Condition)) {
        if (!isObject(byKey) || !Object.values(byKey).every(isConditionValue))
          throw bad(`${at}.Condition.${op}`, "must map keys to a value or a list of values");
      }
    }
  });
  return doc as unknown as PolicyDocument;
}

/** A policy's JSON text, parsed and checked; a parse error is NotAPolicy too. */
export function parsePolicyText(text: string, what: string): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new NotAPolicy(what, "its text", `is not JSON (${(e as Error).message})`);
  }
  return validatePolicy(doc, what);
}
