/**
 * Named exports of a CommonJS package loaded with `await import()`. In the
 * esbuild bundle, a CommonJS module reached through a circular require (the
 * AWS SDK clients and their credential providers) may expose its names only
 * on `default`; merging both views gives every name either way. The merge is
 * made once per module: a fleet run creates clients for every config, and
 * re-copying an SDK module's hundreds of exports each time cost half a second.
 */
const merged = new WeakMap<object, object>();

export function cjs<T extends object>(mod: T): T {
  const known = merged.get(mod);
  if (known) return known as T;
  const d = (mod as { default?: unknown }).default;
  const out = d !== null && typeof d === "object" ? ({ ...(d as object), ...mod } as T) : mod;
  merged.set(mod, out);
  return out;
}
