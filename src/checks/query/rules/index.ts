/** The query layer's rules (`verify --query-layer`), sorted by id. */
import type { QueryRule } from "../facts.js";
import { queryCsvHeader } from "./csv-header.js";
import { queryProjection } from "./projection.js";
import { queryResultsPrivate } from "./results-private.js";
import { querySourcesReadable } from "./sources-readable.js";
import { queryTables } from "./tables.js";
import { queryWorkgroup } from "./workgroup.js";

export const QUERY_RULES: readonly QueryRule[] = [
  queryCsvHeader,
  queryProjection,
  queryResultsPrivate,
  querySourcesReadable,
  queryTables,
  queryWorkgroup,
];
