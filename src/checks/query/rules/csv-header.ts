import { errored, fail, type Outcome, pass, skipped } from "../../../engine/rule.js";
import type { QueryRule } from "../facts.js";
import { noQueryLayer, queryOf, tableResource } from "./helpers.js";

export const queryCsvHeader: QueryRule = {
  id: "query.csv-header",
  title: "The newest CSV export's header matches the table's column order",
  severity: "high",
  rationale:
    "Cloudsmith does not guarantee the order of CSV columns, while Athena maps CSV columns by position: when the order changes, every query reads IPs as users and times as URIs, without an error.",
  remediation: {
    terraform:
      "Set the table's columns to the header's order: run synth with the new order, or update aws_glue_catalog_table's columns.",
    console: "Glue > Tables > (table) > Edit schema: put the columns in the header's order.",
  },
  docs: "With the CSV format, reads the first line of the newest object under each export prefix and compares its column names, in order, with the table's columns.",
  notApplicable: (cfg) => noQueryLayer(cfg) ?? (cfg.format !== "csv" ? "the exports are not CSV" : undefined),
  evaluate(facts) {
    const q = queryOf(facts);
    return q.csvHeaders.map(({ spec, header }): Outcome => {
      const resource = tableResource(facts, spec);
      if (header.state === "absent") return skipped(resource, header.detail);
      if (header.state !== "present")
        return errored(
          resource,
          `could not read the newest export: ${header.state === "skip" ? header.detail : header.detail}`,
        );
      const table = q.tables.find((t) => t.spec.name === spec.name)?.table;
      // The table as deployed when it could be read; as synth writes it otherwise.
      const columns = (table?.state === "present" ? table.value.columns : spec.columns).map((c) => c.name);
      const got = header.value.columns;
      const first = got.findIndex((c, i) => c !== columns[i]);
      if (first === -1 && got.length === columns.length)
        return pass(resource, `${header.value.key}: ${got.length} columns in the table's order`);
      const at = first === -1 ? Math.min(got.length, columns.length) : first;
      return fail(
        resource,
        `${header.value.key}: column ${at + 1} is ${got[at] ?? "missing"}, the table reads it as ${columns[at] ?? "nothing"} (header: ${got.join(",").slice(0, 300)})`,
      );
    });
  },
};
