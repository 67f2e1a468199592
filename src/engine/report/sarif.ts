/**
 * SARIF 2.1.0 for code scanning. Each verified config is one run with its own
 * `automationDetails.id` (source kind and config), so a plan upload and a live
 * upload never replace each other. Every rule is declared with its help and a
 * link to its documentation page; every result has a location (the Terraform
 * resource's line, else the config file) and a fingerprint that stays stable
 * across runs (rule + resource), so an alert is tracked, not re-opened.
 */
import { createHash } from "node:crypto";
import type { Location, Result } from "../evaluate.js";
import type { Rule, Severity, Status } from "../rule.js";

const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "1.0",
};
const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

export const SARIF_SCHEMA =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

export interface SarifReport {
  /** The config's label: its path, or "example". */
  config: string;
  /** "static" (a synthesized stack or a plan) or "live" (AWS). */
  kind: "static" | "live";
  results: readonly Result[];
}

export interface SarifMeta {
  version: string;
  /** The tool's documentation. */
  docsUrl: string;
  /** Where each rule is documented: its own page. */
  ruleUrl: (id: string) => string;
}

/** The status a result reports in SARIF: a suppressed result keeps the status it was suppressed from. */
const reportedStatus = (r: Result): Status => r.suppression?.originalStatus ?? r.status;

/**
 * An ERROR ("could not decide") must stay visible: it is reported as a failing result at level
 * error, never as `review`, whose level SARIF requires to be "none". ADVICE is a note.
 */
function levelOf(r: Result): "error" | "warning" | "note" {
  const status = reportedStatus(r);
  if (status === "ERROR") return "error";
  if (status === "ADVICE") return "note";
  return LEVEL[r.severity];
}

export const fingerprint = (r: Pick<Result, "ruleId" | "resource">): string =>
  createHash("sha256").update(`${r.ruleId}\n${r.resource}`).digest("hex");

/** Category-only automation id: GitHub keeps one analysis per category and replaces it on the next upload. */
export const automationId = (kind: string, config: string): string =>
  `cloudsmith-log-export/${kind}/${config.replace(/\\/g, "/").replace(/[^A-Za-z0-9._/-]+/g, "-")}/`;

function location(r: Result, fallback: Location) {
  const at = r.location ?? fallback;
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(at.uri) },
      region: { startLine: at.line, ...(at.column !== undefined ? { startColumn: at.column } : {}) },
    },
    ...(r.resource !== "-" ? { logicalLocations: [{ name: r.resource, kind: "resource" }] } : {}),
  };
}

/** One SARIF run per verified config, each with the full rule list. */
export function renderSarif(reports: readonly SarifReport[], RULES: readonly Rule<never>[], meta: SarifMeta): string {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  const rules = RULES.map((r) => {
    const fix = `Terraform: ${r.remediation.terraform}\nConsole: ${r.remediation.console}`;
    return {
      id: r.id,
      name: r.id.replace(/[.-](\w)/g, (_, c: string) => c.toUpperCase()),
      shortDescription: { text: r.title },
      fullDescription: { text: r.rationale },
      help: {
        text: `${r.docs}\n\n${fix}`,
        markdown: `${r.docs}\n\n**Why:** ${r.rationale}\n\n**Fix (Terraform):** ${r.remediation.terraform}\n\n**Fix (console):** ${r.remediation.console}`,
      },
      helpUri: meta.ruleUrl(r.id),
      defaultConfiguration: { level: LEVEL[r.severity] },
      properties: {
        "security-severity": SECURITY_SEVERITY[r.severity],
        precision: "very-high",
        tags: ["security", r.id.split(".")[0]!],
      },
    };
  });
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: reports.map(({ config, kind, results }) => {
      // A config given by path is where a live result points; "example" has no file of its own.
      const fallback: Location = { uri: config, line: 1 };
      return {
        tool: {
          driver: {
            name: "cloudsmith-log-export",
            version: meta.version,
            semanticVersion: meta.version,
            informationUri: meta.docsUrl,
            rules,
          },
        },
        automationDetails: { id: automationId(kind, config) },
        results: results
          .filter((r) => r.status === "FAIL" || r.status === "ADVICE" || r.status === "ERROR" || r.suppression)
          .map((r) => ({
            ruleId: r.ruleId,
            ...(index.has(r.ruleId) ? { ruleIndex: index.get(r.ruleId) } : {}),
            kind: "fail",
            level: levelOf(r),
            message: { text: reportedStatus(r) === "FAIL" ? r.message : `${reportedStatus(r)}: ${r.message}` },
            locations: [location(r, fallback)],
            partialFingerprints: { "ruleResource/v1": fingerprint(r) },
            properties: { status: reportedStatus(r), severity: r.severity },
            ...(r.suppression
              ? { suppressions: [{ kind: "external", status: "accepted", justification: r.suppression.reason }] }
              : {}),
          })),
      };
    }),
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
