/** Deep merge of config objects (flags over a file), free of zod. */
type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => v !== null && typeof v === "object" && !Array.isArray(v);

/** Deep merge where `over` wins; arrays and scalars are replaced, `undefined` leaves the base value. */
export function mergeConfig<T extends Plain>(base: T, over: Plain): T {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isPlain(v) ? mergeConfig(isPlain(out[k]) ? (out[k] as Plain) : {}, v) : v;
  }
  return out as T;
}
