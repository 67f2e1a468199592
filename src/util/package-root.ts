import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The installed package's root, found from this file whether it runs from src/ or dist/src/. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "cloudsmith-log-export"
    ) {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cloudsmith-log-export: package root not found");
    dir = parent;
  }
}

export const examplePath = (): string => join(packageRoot(), "examples", "cloudsmith-log-export.example.json");

let manifest: { version: string; homepage: string } | undefined;
const readManifest = () =>
  (manifest ??= JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as {
    version: string;
    homepage: string;
  });

export const packageVersion = (): string => readManifest().version;
/** The README's address (the package's homepage, without its fragment). */
export const docsUrl = (): string => readManifest().homepage.replace(/#.*$/, "");

/** The repository's files at this version. */
export const ruleDocsBase = (): string => `${docsUrl()}/tree/v${packageVersion()}`;

/** A rule's documentation page (docs/rules/<id>.md) as this version has it. */
export const ruleDocsUrl = (id: string): string => `${docsUrl()}/blob/v${packageVersion()}/docs/rules/${id}.md`;
