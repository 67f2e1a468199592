/**
 * IAM condition operators (IAM User Guide, "IAM JSON policy elements:
 * Condition operators" and "Single-valued vs. multivalued context keys"):
 * String, Numeric, Date, Bool, Binary, IpAddress, Arn, Null, each with its
 * ...IfExists form, and the ForAllValues:/ForAnyValue: set qualifiers.
 * Within a block every operator and every key must hold (AND); the values of
 * one key are alternatives (OR; for a negated operator, none may match).
 */
import { BlockList, isIP } from "node:net";
import type { NormalRequest } from "./request.js";
import { and, type Tri, undecided } from "./tri.js";
import { literal, substitute } from "./variables.js";
import { wildcardMatch } from "./wildcard.js";

type Base =
  | "String"
  | "StringIgnoreCase"
  | "StringLike"
  | "Numeric"
  | "Date"
  | "Bool"
  | "Binary"
  | "Ip"
  | "Arn"
  | "Null";
type Compare = "eq" | "lt" | "le" | "gt" | "ge";

interface Operator {
  base: Base;
  compare: Compare;
  negated: boolean;
  ifExists: boolean;
  set?: "all" | "any";
}

const OPERATORS: Record<string, Omit<Operator, "ifExists" | "set">> = {
  stringequals: { base: "String", compare: "eq", negated: false },
  stringnotequals: { base: "String", compare: "eq", negated: true },
  stringequalsignorecase: { base: "StringIgnoreCase", compare: "eq", negated: false },
  stringnotequalsignorecase: { base: "StringIgnoreCase", compare: "eq", negated: true },
  stringlike: { base: "StringLike", compare: "eq", negated: false },
  stringnotlike: { base: "StringLike", compare: "eq", negated: true },
  numericequals: { base: "Numeric", compare: "eq", negated: false },
  numericnotequals: { base: "Numeric", compare: "eq", negated: true },
  numericlessthan: { base: "Numeric", compare: "lt", negated: false },
  numericlessthanequals: { base: "Numeric", compare: "le", negated: false },
  numericgreaterthan: { base: "Numeric", compare: "gt", negated: false },
  numericgreaterthanequals: { base: "Numeric", compare: "ge", negated: false },
  dateequals: { base: "Date", compare: "eq", negated: false },
  datenotequals: { base: "Date", compare: "eq", negated: true },
  datelessthan: { base: "Date", compare: "lt", negated: false },
  datelessthanequals: { base: "Date", compare: "le", negated: false },
  dategreaterthan: { base: "Date", compare: "gt", negated: false },
  dategreaterthanequals: { base: "Date", compare: "ge", negated: false },
  bool: { base: "Bool", compare: "eq", negated: false },
  binaryequals: { base: "Binary", compare: "eq", negated: false },
  ipaddress: { base: "Ip", compare: "eq", negated: false },
  notipaddress: { base: "Ip", compare: "eq", negated: true },
  arnequals: { base: "Arn", compare: "eq", negated: false },
  arnlike: { base: "Arn", compare: "eq", negated: false },
  arnnotequals: { base: "Arn", compare: "eq", negated: true },
  arnnotlike: { base: "Arn", compare: "eq", negated: true },
  null: { base: "Null", compare: "eq", negated: false },
};

/** `ForAnyValue:StringLikeIfExists` -> its parts; undefined for an operator IAM does not have. */
export function parseOperator(name: string): Operator | undefined {
  let rest = name.toLowerCase();
  let set: Operator["set"];
  if (rest.startsWith("forallvalues:")) [set, rest] = ["all", rest.slice(13)];
  else if (rest.startsWith("foranyvalue:")) [set, rest] = ["any", rest.slice(12)];
  const ifExists = rest.endsWith("ifexists") && rest !== "null";
  if (ifExists) rest = rest.slice(0, -8);
  const op = OPERATORS[rest];
  if (!op || (op.base === "Null" && (ifExists || set))) return undefined;
  return { ...op, ifExists, set };
}

const order = (c: Compare, d: number): boolean => ({ eq: d === 0, lt: d < 0, le: d <= 0, gt: d > 0, ge: d >= 0 })[c];

function parseDate(v: string): number {
  return /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
}

function inCidr(ip: string, cidr: string): boolean {
  const [addr, bits] = cidr.split("/");
  const type = isIP(addr ?? "");
  if (type === 0 || isIP(ip) === 0) return false;
  const list = new BlockList();
  const family = type === 4 ? "ipv4" : "ipv6";
  list.addSubnet(addr!, bits === undefined ? (type === 4 ? 32 : 128) : Number(bits), family);
  return list.check(ip, isIP(ip) === 4 ? "ipv4" : "ipv6");
}

/** ArnEquals and ArnLike both match each of the six colon-separated parts with wildcards. */
function arnMatch(pattern: string, arn: string): boolean {
  const split = (s: string) => {
    const parts = s.split(":");
    return [...parts.slice(0, 5), parts.slice(5).join(":")];
  };
  const p = split(pattern);
  const a = split(arn);
  return a.length === 6 && p.length === 6 && p.every((part, i) => wildcardMatch(part, a[i]!));
}

/** Whether one request value matches one policy value under the (positive) base operator. */
function matches(op: Operator, value: string, pattern: string): boolean {
  // Exact comparisons read ${*} and ${?} as the characters; wildcard ones keep them literal too.
  const policyValue = op.base === "StringLike" || op.base === "Arn" ? pattern : literal(pattern);
  switch (op.base) {
    case "String":
      return value === policyValue;
    case "StringIgnoreCase":
      return value.toLowerCase() === policyValue.toLowerCase();
    case "StringLike":
      return wildcardMatch(policyValue, value);
    case "Numeric": {
      const [a, b] = [Number(value), Number(policyValue)];
      return Number.isFinite(a) && Number.isFinite(b) && order(op.compare, a - b);
    }
    case "Date": {
      const [a, b] = [parseDate(value), parseDate(policyValue)];
      return Number.isFinite(a) && Number.isFinite(b) && order(op.compare, a - b);
    }
    case "Bool":
      return value.toLowerCase() === policyValue.toLowerCase();
    case "Binary":
      return value === policyValue;
    case "Ip":
      return inCidr(value, policyValue);
    case "Arn":
      return arnMatch(policyValue, value);
    case "Null":
      return false;
  }
}

/** How far ahead "from now on" reaches: a bound beyond it is as good as never for any run today. */
const HORIZON_MS = 100 * 365 * 86_400_000;

/**
 * aws:CurrentTime and aws:EpochTime of a request that is not made yet are not known, but they are
 * now or later: a comparison with a date already past (or beyond a century ahead) has the same
 * answer for every such request, so it is decided. A bound in between is not (the answer changes).
 */
function timeFromNowOn(op: Operator, key: string, policyValues: readonly unknown[]): Tri | undefined {
  const date = key === "aws:currenttime" && op.base === "Date";
  const epoch = key === "aws:epochtime" && (op.base === "Numeric" || op.base === "Date");
  if ((!date && !epoch) || op.set) return undefined;
  const now = Date.now();
  const bounds = policyValues.map((v) => (epoch && op.base === "Numeric" ? Number(v) * 1000 : parseDate(String(v))));
  if (bounds.some((b) => !Number.isFinite(b) || (b >= now && b <= now + HORIZON_MS))) return undefined;
  const at = (t: number) => {
    const hit = bounds.some((b) => order(op.compare, t - b));
    return op.negated ? !hit : hit;
  };
  const [first, last] = [at(now), at(now + HORIZON_MS)];
  return first === last ? first : undefined;
}

/**
 * aws:PrincipalArn of a caller known only by its account (which of its roles calls is not known) is
 * some `arn:aws:iam::<account>:<role, user or root>`. A pattern every such ARN matches (`...:<account>:*`),
 * or one none can match (another account's), answers for whichever principal calls.
 */
function anyPrincipalOf(
  op: Operator,
  key: string,
  policyValues: readonly unknown[],
  req: NormalRequest,
): Tri | undefined {
  const who = req.principal;
  if (key !== "aws:principalarn" || who.type !== "AWS" || who.account === undefined || who.arn !== undefined)
    return undefined;
  if (op.set || !["String", "StringLike", "Arn"].includes(op.base)) return undefined;
  const fixed = `arn:aws:iam::${who.account}:`;
  const coverage = (raw: unknown): "all" | "none" | "some" => {
    const p = literal(String(raw));
    const wild = op.base !== "String";
    const start = wild ? p.slice(0, p.search(/[*?]|$/)) : p;
    // Its literal start leaves the account's ARNs: it can match none of them.
    if (!start.startsWith(fixed.slice(0, start.length)) && !fixed.startsWith(start.slice(0, fixed.length)))
      return "none";
    if (!wild) return start.startsWith(fixed) ? "some" : "none";
    if (op.base === "Arn") {
      const parts = p.split(":");
      return parts.length === 6 &&
        ["arn", "aws", "iam", "", who.account!].every((v, i) => wildcardMatch(parts[i]!, v)) &&
        parts[5] === "*"
        ? "all"
        : "some";
    }
    // A pattern ending in * whose rest matches the start of the fixed part absorbs any role or user name.
    if (p.endsWith("*")) {
      const head = p.slice(0, -1);
      for (let i = 0; i <= fixed.length; i++) if (wildcardMatch(head, fixed.slice(0, i))) return "all";
    }
    return "some";
  };
  const found = policyValues.map(coverage);
  const match: Tri = found.includes("all")
    ? true
    : found.every((c) => c === "none")
      ? false
      : undecided(key, `which principal of account ${who.account} calls is not known`);
  return op.negated ? (typeof match === "boolean" ? !match : match) : match;
}

/** One operator on one key: the key's policy values against the request. */
export function evaluateKey(opName: string, key: string, policyValues: readonly unknown[], req: NormalRequest): Tri {
  const op = parseOperator(opName);
  if (!op) return undecided(key, `the condition operator ${opName} is not one IAM has`);
  const k = key.toLowerCase();
  const value = req.context.get(k);
  const known = !req.unknowable.has(k);
  // A key with an empty value (an empty string or list) resolves to a null data set, as if absent
  // (condition operators page: Null, and ForAllValues "...resolves to a null data set").
  const empty = value === "" || (Array.isArray(value) && value.length === 0);
  if (op.base === "Null") {
    // A key whose value cannot be known is present (request.ts).
    const isAbsent = known && (value === undefined || empty);
    return policyValues.some((v) => String(v).toLowerCase() === String(isAbsent));
  }
  if (!known) {
    const settled = timeFromNowOn(op, k, policyValues) ?? anyPrincipalOf(op, k, policyValues, req);
    if (settled !== undefined) return settled;
    return undecided(key, `${key} is not known for the simulated request`);
  }
  // Policy variables in the values (${aws:PrincipalAccount}, ...): a value that cannot be resolved matches nothing.
  const resolved: string[] = [];
  for (const pv of policyValues) {
    const sub = substitute(String(pv), req);
    if (typeof sub === "object") return sub;
    if (sub !== undefined) resolved.push(sub);
  }
  const anyMatch = (v: string) => resolved.some((pv) => matches(op, v, pv));
  const holds = (v: string) => (op.negated ? !anyMatch(v) : anyMatch(v));
  const values = value === undefined || empty ? [] : Array.isArray(value) ? value : [value];
  if (op.set === "any") return values.some(holds);
  if (op.set === "all") return values.every(holds);
  if (value === undefined) return op.ifExists || op.negated;
  if (Array.isArray(value) && value.length === 0)
    return undecided(key, `${opName} is a single-valued operator, and ${key} is an empty list`);
  if (values.length > 1) return undecided(key, `${opName} is a single-valued operator, and ${key} has several values`);
  return holds(values[0] ?? "");
}

/** A statement's whole Condition block. */
export function evaluateConditions(
  block: Record<string, Record<string, unknown>> | undefined,
  req: NormalRequest,
): Tri {
  if (!block) return true;
  return and(
    Object.entries(block).flatMap(([op, byKey]) =>
      Object.entries(byKey).map(([key, v]) => evaluateKey(op, key, Array.isArray(v) ? v : [v], req)),
    ),
  );
}

/** The first `Operator key` of a Condition block that does not hold for the request, for messages. */
export function unmetCondition(
  block: Record<string, Record<string, unknown>> | undefined,
  req: NormalRequest,
): string | undefined {
  for (const [op, byKey] of Object.entries(block ?? {})) {
    for (const [key, v] of Object.entries(byKey)) {
      if (evaluateKey(op, key, Array.isArray(v) ? v : [v], req) === false) return `${op} ${key}`;
    }
  }
  return undefined;
}
