/**
 * The user's own Terraform source: where each root-module `resource "type" "name"` block is
 * declared in the `.tf` files under the working folder, so a result about a resource the config
 * does not own (an existing bucket, a trail managed elsewhere) points at the line a person edits.
 * Only the folder's own files declare root-module addresses (a subfolder is a module, whose
 * addresses carry `module.`). Bounded: at most 500 files of at most 1 MiB each.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Location } from "../engine/evaluate.js";
import { lineHashes } from "../util/line-hash.js";
import { reportUri } from "../util/report-uri.js";

export type TfSourceIndex = ReadonlyMap<string, Location>;

const MAX_FILES = 500;
const MAX_BYTES = 1024 * 1024;
const RESOURCE = /^(\s*)resource\s+"([A-Za-z0-9_-]+)"\s+"([A-Za-z0-9_-]+)"/;

export function tfSourceIndex(root = process.cwd()): TfSourceIndex {
  const index = new Map<string, Location>();
  let files = 0;
  const walk = (dir: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (files >= MAX_FILES) return;
      const path = join(dir, e.name);
      if (e.isFile() && e.name.endsWith(".tf")) {
        files++;
        let text: string;
        try {
          if (statSync(path).size > MAX_BYTES) continue;
          text = readFileSync(path, "utf8");
        } catch {
          continue;
        }
        const lines = text.split("\n");
        let hashes: string[] | undefined;
        lines.forEach((line, i) => {
          const m = RESOURCE.exec(line);
          if (!m) return;
          const address = `${m[2]}.${m[3]}`;
          if (index.has(address)) return;
          hashes ??= lineHashes(text);
          index.set(address, {
            uri: reportUri(path),
            line: i + 1,
            column: m[1]!.length + 1,
            endLine: i + 1,
            endColumn: line.trimEnd().length + 1,
            lineHash: hashes[i],
          });
        });
      }
    }
  };
  walk(root);
  return index;
}
