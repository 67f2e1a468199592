/**
 * Three-valued answers. A condition whose key the simulated request does not
 * determine (Cloudsmith's source IP, say) is neither true nor false: it is
 * undecided, naming the key and, once known, the statement. Undecided never
 * becomes PASS or FAIL: the rule that asked reports ERROR with the reason.
 */
export interface Undecided {
  undecided: true;
  /** The condition key (or policy variable) whose value is not known. */
  key: string;
  reason: string;
}

export type Tri = boolean | Undecided;

export const undecided = (key: string, reason: string): Undecided => ({ undecided: true, key, reason });
export const isUndecided = (t: Tri): t is Undecided => typeof t === "object";

/** Kleene AND: false wins, then undecided. */
export function and(values: Iterable<Tri>): Tri {
  let pending: Undecided | undefined;
  for (const v of values) {
    if (v === false) return false;
    if (isUndecided(v)) pending ??= v;
  }
  return pending ?? true;
}

/** Kleene OR: true wins, then undecided. */
export function or(values: Iterable<Tri>): Tri {
  let pending: Undecided | undefined;
  for (const v of values) {
    if (v === true) return true;
    if (isUndecided(v)) pending ??= v;
  }
  return pending ?? false;
}

export const not = (v: Tri): Tri => (isUndecided(v) ? v : !v);
