import { fail, pass } from "../../../engine/rule.js";
import type { QueryRule } from "../facts.js";
import { eachTable, noQueryLayer } from "./helpers.js";

const day = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, "/");

export const queryProjection: QueryRule = {
  id: "query.projection",
  title: "The CloudTrail table's partition projection covers today, this account and this region",
  severity: "medium",
  rationale:
    "Partition projection decides which folders a query reads: a range that ends before today, or an account or region missing from its lists, makes recent CodeArtifact requests invisible to every investigation.",
  remediation: {
    terraform: "Run synth again and terraform apply (the range ends at NOW; add accounts with query.athena.accounts).",
    console:
      "Glue > Tables > cloudtrail_logs > Table properties: projection.day.range ending NOW, the account and region in their lists.",
  },
  docs: "The cloudtrail_logs table must have projection.enabled, a day range from at most today to NOW (or a date not before today), the config's account and region among the projected values, and a storage.location.template under the table's location following AWSLogs/[org/]<account>/CloudTrail/<region>/<day>.",
  notApplicable: (cfg) =>
    noQueryLayer(cfg) ?? (cfg.cloudtrail.mode === "none" ? "no trail in the config (cloudtrail.mode none)" : undefined),
  evaluate(facts) {
    const today = day(new Date(facts.query?.state === "present" ? facts.query.value.now : Date.now()));
    return eachTable(
      facts,
      ({ resource, spec, table }) => {
        const p = table.parameters;
        const wrong: string[] = [];
        if (p["projection.enabled"] !== "true") wrong.push("projection.enabled is not true");
        const [start, end] = (p["projection.day.range"] ?? "").split(",");
        if (p["projection.day.format"] !== "yyyy/MM/dd") wrong.push("projection.day.format is not yyyy/MM/dd");
        if (!start || start > today) wrong.push(`the day range starts ${start ?? "nowhere"}, after today (${today})`);
        if (!end || (end.trim().toUpperCase() !== "NOW" && !end.trim().toUpperCase().startsWith("NOW") && end < today))
          wrong.push(`the day range ends ${end ?? "nowhere"}, before today (${today})`);
        const list = (k: string) => (p[k] ?? "").split(",").map((s) => s.trim());
        if (!list("projection.account.values").includes(facts.config.accountId))
          wrong.push(`account ${facts.config.accountId} is not projected`);
        if (!list("projection.region.values").includes(facts.config.region))
          wrong.push(`region ${facts.config.region} is not projected`);
        const template = `${spec.location}\${account}/CloudTrail/\${region}/\${day}`;
        if (p["storage.location.template"] !== template)
          wrong.push(`storage.location.template is ${p["storage.location.template"] ?? "unset"}, expected ${template}`);
        return wrong.length > 0 ? fail(resource, wrong.join("; ")) : pass(resource, `projects ${start} to ${end}`);
      },
      (spec) => spec.source === "cloudtrail",
    );
  },
};
