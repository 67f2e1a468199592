/**
 * Where a live result points, for code scanning: the config file's field the
 * rule follows from (each pack names its fields by rule area). A static run's
 * results point into the Terraform (the deployment pack's locator).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import type { Location, Result } from "../engine/evaluate.js";
import { lineColumn } from "../util/line-column.js";
import { quotedPattern as quoted, reportUri } from "../util/report-uri.js";

export { reportUri };

/** A live result points at the config file's field it follows from, when the config is a file. */
export function configLocator(
  label: string,
  fieldsByArea: Readonly<Record<string, readonly string[]>>,
): (r: Result) => Location {
  let text = "";
  const isFile = existsSync(label) && statSync(label).isFile();
  if (isFile) text = readFileSync(label, "utf8");
  const uri = isFile ? reportUri(label) : label;
  return (result) => {
    for (const key of fieldsByArea[result.ruleId.split(".")[0]!] ?? []) {
      const m = new RegExp(`${quoted(key)}\\s*:`).exec(text);
      if (m) return { uri, ...lineColumn(text, m.index) };
    }
    return { uri, line: 1 };
  };
}
