/**
 * Policy variables (IAM User Guide, "IAM policy elements: Variables and
 * tags"): `${aws:PrincipalAccount}` and friends in Resource and in condition
 * values, `${key, 'default'}` defaults, and the escapes `${*}`, `${?}`, `${$}`.
 */
import type { NormalRequest } from "./request.js";
import { type Undecided, undecided } from "./tri.js";

/**
 * `${*}` and `${?}` are the characters themselves, never wildcards: in the substituted text they
 * stand as these private-use characters, which the wildcard matcher compares literally and
 * `literal()` turns back into * and ?.
 */
export const LITERAL_STAR = "\uE000";
export const LITERAL_QUESTION = "\uE001";
const ESCAPES: Record<string, string> = { "*": LITERAL_STAR, "?": LITERAL_QUESTION, $: "$" };

/** A substituted value with its escaped characters as they are (for exact comparisons). */
export const literal = (s: string): string => s.replaceAll(LITERAL_STAR, "*").replaceAll(LITERAL_QUESTION, "?");

/**
 * The text with its variables replaced; `undefined` when a variable has no
 * value and no default (the element then matches nothing); undecided when a
 * variable's value is not known for the simulated request.
 */
export function substitute(text: string, req: NormalRequest): string | undefined | Undecided {
  let missing = false;
  let unknownKey: string | undefined;
  const out = text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    const escaped = ESCAPES[inner];
    if (escaped !== undefined) return escaped;
    const m = /^\s*([^,]+?)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
    if (!m) return whole;
    const key = m[1]!.toLowerCase();
    if (req.unknowable.has(key)) {
      unknownKey ??= `\${${m[1]!}}`;
      return whole;
    }
    const v = req.context.get(key);
    if (typeof v === "string") return v;
    if (m[2] !== undefined) return m[2];
    missing = true;
    return whole;
  });
  if (unknownKey)
    return undecided(unknownKey, `the policy variable ${unknownKey} cannot be resolved for the simulated request`);
  return missing ? undefined : out;
}
