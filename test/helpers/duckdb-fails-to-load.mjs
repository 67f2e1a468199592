/**
 * Preloaded with --import: DuckDB is installed (its package resolves), but loading it fails, as a
 * native module built for another platform or Node.js would. investigate must stop and say so.
 */
import { register } from "node:module";

register(
  `data:text/javascript,${encodeURIComponent(
    `export async function resolve(specifier, context, next) {
      if (specifier.startsWith("@duckdb/")) throw new Error("the native module could not be loaded (test)");
      return next(specifier, context);
    }`,
  )}`,
);
