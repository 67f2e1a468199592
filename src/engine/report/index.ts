/** Renders the reports of one or more verified configs in the chosen format. */

import { docsUrl, packageVersion, ruleDocsBase, ruleDocsUrl } from "../../util/package-root.js";
import { sourceRoot } from "../../util/report-uri.js";
import { styler } from "../../util/style.js";
import { summarize } from "../evaluate.js";
import type { Rule } from "../rule.js";
import { renderAsff } from "./asff.js";
import { renderCodeQuality } from "./codequality.js";
import { type ConfigReport, renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderSarif } from "./sarif.js";
import { renderText } from "./text.js";

export type OutputFormat = "text" | "json" | "junit" | "sarif" | "codequality" | "asff";
export type { ConfigReport };

/** What the reports need to know about the rules: every rule, and the report's sections. */
export interface RuleCatalog {
  rules: readonly Rule<never>[];
  /** Rule-id prefix and section heading, in report order. */
  groups: ReadonlyArray<readonly [string, string]>;
}

export function renderReports(
  reports: readonly ConfigReport[],
  format: OutputFormat,
  catalog: RuleCatalog,
  opts: { colour?: boolean; quiet?: boolean; width?: number; adviceAsAlerts?: boolean } = {},
): string {
  const version = packageVersion();
  switch (format) {
    case "json":
      return renderJson(reports, catalog.rules, { name: "cloudsmith-log-export", version });
    case "codequality":
      return renderCodeQuality(reports);
    case "asff":
      return renderAsff(reports, catalog.rules, { now: new Date(), ruleUrl: ruleDocsUrl });
    case "junit":
      return renderJunit(reports, "cloudsmith-log-export.verify");
    case "sarif":
      return renderSarif(reports, catalog.rules, {
        version,
        docsUrl: docsUrl(),
        ruleUrl: ruleDocsUrl,
        sourceRoot: sourceRoot(),
        cwd: process.cwd(),
        adviceAsAlerts: opts.adviceAsAlerts,
      });
    case "text": {
      const s = styler(opts.colour ?? false);
      const parts = reports.map((r) =>
        renderText(r.results, s, `cloudsmith-log-export verify: ${r.config} against ${r.source}`, catalog.groups, {
          policy: r.policy,
          quiet: opts.quiet,
          width: opts.width,
          help: ["Why each rule matters and how to fix it: docs/rules/<rule id>.md in", `  ${ruleDocsBase()}`],
        }),
      );
      if (reports.length > 1) {
        const failing = reports.filter((r) => r.exitCode !== 0).length;
        const all = summarize(
          reports.flatMap((r) => r.results),
          reports[0]?.policy,
        );
        parts.push(
          `${reports.length} configs: ${reports.length - failing} passed, ${failing} failed (${all.PASS} checks passed, ${all.FAIL} failed, ${all.ERROR} errors)\n`,
        );
      }
      return parts.join("\n");
    }
  }
}
