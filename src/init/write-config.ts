/** Writes the config file atomically, keys in the schema's order, empty objects dropped. */

import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ConfigSchema } from "../config/schema.js";
import { writeFileAtomically } from "../util/atomic-write.js";
import { packageRoot } from "../util/package-root.js";

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

/** `$schema` as a relative path when the schema lives inside the project (a local install), never a path out of it. */
function schemaRef(file: string): string | undefined {
  const schema = join(packageRoot(), "schema", "cloudsmith-log-export.schema.json");
  const rel = relative(dirname(resolve(file)), schema);
  return existsSync(schema) && !rel.startsWith("..") ? rel : undefined;
}

export function renderConfig(draft: Record<string, unknown>, file: string): string {
  const pruned = prune(draft) as Record<string, unknown>;
  const order = ["$schema", ...Object.keys(ConfigSchema.shape)];
  const ordered: Record<string, unknown> = {};
  const ref = schemaRef(file);
  if (ref) ordered.$schema = ref;
  for (const k of order) if (k !== "$schema" && pruned[k] !== undefined) ordered[k] = pruned[k];
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export async function writeConfigFile(file: string, text: string): Promise<void> {
  await writeFileAtomically(file, text);
}
