import { read, Undecidable } from "../../../engine/fact.js";
import { errored, type Outcome, skipped } from "../../../engine/rule.js";
import type { TableSpec } from "../../../query/tables.js";
import type { GlueTableView, QueryFacts, QueryView } from "../facts.js";

/** The pack's facts; a pack that could not collect is ERROR for every rule, never dropped. */
export function queryOf(facts: QueryView): QueryFacts {
  if (!facts.query) throw new Undecidable("ERROR", "the query layer was not collected");
  return read(facts.query, "the query layer")!;
}

export const noQueryLayer = (cfg: { query?: { athena?: unknown } }): string | undefined =>
  cfg.query?.athena === undefined ? "the config has no query.athena (no query layer)" : undefined;

export const tableResource = (facts: QueryView, spec: TableSpec): string =>
  `glue:${facts.config.query?.athena?.database ?? "?"}.${spec.name}`;

/** One outcome per table: `judge` for each that was read and exists, FAIL for a missing one, ERROR for an unread one. */
export function eachTable(
  facts: QueryView,
  judge: (x: { resource: string; spec: TableSpec; table: GlueTableView }) => Outcome,
  onlyFor?: (spec: TableSpec) => boolean,
): Outcome[] {
  return queryOf(facts)
    .tables.filter((t) => onlyFor?.(t.spec) ?? true)
    .map(({ spec, table }) => {
      const resource = tableResource(facts, spec);
      switch (table.state) {
        case "present":
          return judge({ resource, spec, table: table.value });
        case "absent":
          return { status: "FAIL", resource, message: `no table ${spec.name}: run synth and terraform apply` };
        case "skip":
          return skipped(resource, table.detail);
        default:
          return errored(resource, `could not read the table: ${table.detail}`);
      }
    });
}
