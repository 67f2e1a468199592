/**
 * Policies compiled once for many questions. Rules ask thousands of (action, resource) questions
 * of the same policies; scanning every statement with a fresh pattern match for each was
 * quadratic (a 1,000-statement policy took seconds). A compiled policy indexes its statements by
 * the action asked (each statement's Action patterns tried once per distinct action) and, within
 * that, by the literal start of their Resource patterns, so a question looks only at statements
 * that could apply. The index only narrows: every candidate is still checked in full, so the
 * answers are exactly those of a full scan.
 */
import { asArray, type PolicyDocument, type Statement } from "../policies/types.js";
import { actionCovered } from "./match.js";
import { describeStatement } from "./wildcard.js";

export interface CompiledStatement {
  statement: Statement;
  /** `statement "Sid"` or `statement #n`. */
  name: string;
  index: number;
}

interface ForAction {
  /** Statements that cover the action, with the pattern that did, in policy order. */
  hits: Array<{ s: CompiledStatement; via: string }>;
  resources?: ResourceIndex;
}

interface ResourceIndex {
  /** Statements any resource may match: NotResource, no Resource, `*`, or a pattern starting with a wildcard or variable. */
  always: number[];
  /** Statements by the literal start of one of their Resource patterns. */
  byPrefix: Map<string, number[]>;
  /** The prefix lengths present, to look a resource up by each. */
  lengths: number[];
}

export interface CompiledPolicy {
  statements: CompiledStatement[];
  /** The statements of this effect that cover the action and may cover the resource, in policy order. */
  candidates(effect: "Allow" | "Deny", action: string, resource: string): Array<{ s: CompiledStatement; via: string }>;
}

/**
 * Compiled once per document. Documents read from AWS or a file are not changed afterwards; a
 * Statement list replaced or grown since (as a caller editing a policy in place would) is compiled
 * anew rather than answered from a stale index.
 */
const compiledDocs = new WeakMap<PolicyDocument, { statements: unknown; length: number; compiled: CompiledPolicy }>();

/** The literal text of a pattern before its first wildcard or policy variable. */
const literalStart = (pattern: string): string => {
  const cut = pattern.search(/[*?]|\$\{/);
  return cut < 0 ? pattern : pattern.slice(0, cut);
};

function indexResources(hits: ForAction["hits"]): ResourceIndex {
  const always: number[] = [];
  const byPrefix = new Map<string, number[]>();
  for (const [i, { s }] of hits.entries()) {
    const st = s.statement;
    const prefixes =
      st.NotResource !== undefined || st.Resource === undefined ? [""] : asArray(st.Resource).map(literalStart);
    if (prefixes.some((p) => p === "")) {
      always.push(i);
      continue;
    }
    for (const p of new Set(prefixes)) {
      const list = byPrefix.get(p) ?? [];
      list.push(i);
      byPrefix.set(p, list);
    }
  }
  return { always, byPrefix, lengths: [...new Set([...byPrefix.keys()].map((p) => p.length))] };
}

export function compilePolicy(doc: PolicyDocument): CompiledPolicy {
  const known = compiledDocs.get(doc);
  const raw = doc.Statement as unknown;
  const length = Array.isArray(raw) ? raw.length : 1;
  if (known && known.statements === raw && known.length === length) return known.compiled;
  const statements = asArray(doc.Statement as Statement | Statement[]).map(
    (statement, index): CompiledStatement => ({ statement, index, name: describeStatement(statement, index) }),
  );
  const byAction = new Map<string, ForAction>();
  const forAction = (effect: string, action: string): ForAction => {
    const key = `${effect}\n${action.toLowerCase()}`;
    let f = byAction.get(key);
    if (!f) {
      f = { hits: [] };
      for (const s of statements) {
        if (s.statement.Effect !== effect) continue;
        const via = actionCovered(s.statement, action);
        if (via !== undefined) f.hits.push({ s, via });
      }
      byAction.set(key, f);
    }
    return f;
  };
  const compiled: CompiledPolicy = {
    statements,
    candidates(effect, action, resource) {
      const f = forAction(effect, action);
      // Few statements: checking them all is cheaper than the index.
      if (f.hits.length <= 16) return f.hits;
      f.resources ??= indexResources(f.hits);
      const picked = new Set<number>(f.resources.always);
      for (const length of f.resources.lengths) {
        if (length > resource.length) continue;
        for (const i of f.resources.byPrefix.get(resource.slice(0, length)) ?? []) picked.add(i);
      }
      return [...picked].sort((a, b) => a - b).map((i) => f.hits[i]!);
    },
  };
  compiledDocs.set(doc, { statements: raw, length, compiled });
  return compiled;
}
