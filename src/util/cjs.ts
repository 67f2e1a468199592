/**
 * Named exports of a CommonJS package loaded with `await import()`. In the
 * esbuild bundle, a CommonJS module reached through a circular require (the
 * AWS SDK clients and their credential providers) may expose its names only
 * on `default`; merging both views gives every name either way.
 */
export function cjs<T extends object>(mod: T): T {
  const d = (mod as { default?: unknown }).default;
  return d !== null && typeof d === "object" ? ({ ...(d as object), ...mod } as T) : mod;
}
