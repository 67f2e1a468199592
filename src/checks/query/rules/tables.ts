import { fail, pass } from "../../../engine/rule.js";
import { REGEX_SERDE } from "../../../query/tables.js";
import type { QueryRule } from "../facts.js";
import { eachTable, noQueryLayer } from "./helpers.js";

const names = (cols: ReadonlyArray<{ name: string; type: string }>) =>
  cols.map((c) => `${c.name} ${c.type}`).join(", ");

export const queryTables: QueryRule = {
  id: "query.tables",
  title: "Each source has its table, reading the configured prefix in the configured format",
  severity: "high",
  rationale:
    "A table that points at another prefix, reads with another SerDe or names its columns in another order answers investigations wrongly and silently: rows missing, or values under the wrong names.",
  remediation: {
    terraform: "Run synth again and terraform apply: the tables are part of the generated stack.",
    console: "Glue > Databases > (database) > Tables: compare the table with the one synth generates.",
  },
  docs: "For each table the config needs (client_logs, audit_logs, cloudtrail_logs), Glue's table must exist with the expected location (the export prefix, or the trail's AWSLogs/ folder), input format, SerDe, SerDe regex (for regex-read formats), columns in order and partition keys.",
  notApplicable: noQueryLayer,
  evaluate(facts) {
    return eachTable(facts, ({ resource, spec, table }) => {
      const wrong: string[] = [];
      if (table.location !== spec.location)
        wrong.push(`location is ${table.location ?? "unset"}, expected ${spec.location}`);
      if (table.inputFormat !== spec.inputFormat)
        wrong.push(`input format is ${table.inputFormat ?? "unset"}, expected ${spec.inputFormat}`);
      if (table.serde !== spec.serde.library)
        wrong.push(`SerDe is ${table.serde ?? "unset"}, expected ${spec.serde.library}`);
      if (
        spec.serde.library === REGEX_SERDE &&
        table.serdeParameters["input.regex"] !== spec.serde.parameters["input.regex"]
      )
        wrong.push("its input.regex is not the one for the configured format");
      if (names(table.columns) !== names(spec.columns))
        wrong.push(
          `columns are (${names(table.columns).slice(0, 200)}), expected (${names(spec.columns).slice(0, 200)})`,
        );
      if (names(table.partitionKeys) !== names(spec.partitionKeys))
        wrong.push(`partition keys are (${names(table.partitionKeys)}), expected (${names(spec.partitionKeys)})`);
      for (const k of ["skip.header.line.count"])
        if (spec.parameters[k] !== undefined && table.parameters[k] !== spec.parameters[k])
          wrong.push(`${k} is ${table.parameters[k] ?? "unset"}, expected ${spec.parameters[k]}`);
      return wrong.length > 0
        ? fail(resource, wrong.join("; "))
        : pass(resource, `reads ${spec.location} with ${spec.serde.library.split(".").pop()}`);
    });
  },
};
