/**
 * JSON with object keys in a fixed order (policy keys in IAM's conventional
 * order, everything else sorted), so output is byte-identical across runs.
 */
const POLICY_KEY_ORDER = [
  "Version",
  "Id",
  "Statement",
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
];

function rank(key: string): number {
  const i = POLICY_KEY_ORDER.indexOf(key);
  return i === -1 ? POLICY_KEY_ORDER.length : i;
}

function order(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(order);
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(keys.map((k) => [k, order((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export const stableJson = (value: unknown, indent?: number): string => JSON.stringify(order(value), null, indent);
