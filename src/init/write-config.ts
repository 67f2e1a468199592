/** Writes the config file atomically, keys in the schema's order, empty objects dropped. */

import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { ConfigSchema } from "../config/schema.js";
import { writeFileAtomically } from "../util/atomic-write.js";
import { packageRoot, packageVersion } from "../util/package-root.js";

/** Objects whose presence is the setting (`"athena": {}` turns the query layer on with defaults). */
const KEEP_EMPTY = new Set(["athena"]);

function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p === undefined) continue;
      if (p !== null && typeof p === "object" && !Array.isArray(p) && Object.keys(p).length === 0 && !KEEP_EMPTY.has(k))
        continue;
      out[k] = p;
    }
    return out;
  }
  return value;
}

/**
 * `$schema` for editors: a relative path when the schema lives inside the project (a local install,
 * a clone), else the schema of this version as the package publishes it (unpkg serves every npm
 * package's files by version), never a path out of the project that only this machine has.
 */
export function schemaRef(file: string): string {
  const schema = join(packageRoot(), "schema", "cloudsmith-log-export.schema.json");
  const rel = relative(dirname(resolve(file)), schema)
    .split(sep)
    .join("/");
  if (existsSync(schema) && !rel.startsWith("..") && !isAbsolute(rel)) return rel;
  return `https://unpkg.com/cloudsmith-log-export@${packageVersion()}/schema/cloudsmith-log-export.schema.json`;
}

export function renderConfig(draft: Record<string, unknown>, file: string): string {
  const pruned = prune(draft) as Record<string, unknown>;
  const order = ["$schema", ...Object.keys(ConfigSchema.shape)];
  const ordered: Record<string, unknown> = {};
  ordered.$schema = schemaRef(file);
  for (const k of order) if (k !== "$schema" && pruned[k] !== undefined) ordered[k] = pruned[k];
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export async function writeConfigFile(file: string, text: string): Promise<void> {
  await writeFileAtomically(file, text);
}
