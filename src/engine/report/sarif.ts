/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF reader). One run per file, whatever the
 * number of configs (code scanning refuses more than 20 runs in a file): with one config the run's
 * `automationDetails.id` category names it, with several each result names its config in its
 * properties. Every rule is declared with its help and a link to its page. Every result points at
 * a line of a file in the repository (the config field, or the user's `.tf` block), relative to
 * %SRCROOT% (the repository root), with its end and the `primaryLocationLineHash` the upload
 * action would compute; the plan or cdk.tf.json line is a related location. ADVICE is left out
 * unless asked (`--advice-as-alerts`): recommendations on a correct setup are not alerts.
 */
import { createHash } from "node:crypto";
import { isAbsolute, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
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
  /** The repository root relative URIs are given against (%SRCROOT%); absolute, no trailing slash. */
  sourceRoot: string;
  /** The working directory result locations are relative to. */
  cwd: string;
  /** Report ADVICE (recommendations) as note results; left out by default. */
  adviceAsAlerts?: boolean;
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

/** An artifact location relative to %SRCROOT% when the file is inside it, else an absolute file URI. */
function artifact(uri: string, meta: SarifMeta) {
  const abs = isAbsolute(uri) ? uri : resolve(meta.cwd, uri);
  const rel = relative(meta.sourceRoot, abs);
  if (rel.startsWith("..") || isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: encodeURI(rel.split("\\").join("/")), uriBaseId: "%SRCROOT%" };
}

function physical(at: Location, meta: SarifMeta) {
  return {
    artifactLocation: artifact(at.uri, meta),
    region: {
      startLine: at.line,
      ...(at.column !== undefined ? { startColumn: at.column } : {}),
      endLine: at.endLine ?? at.line,
      ...(at.endColumn !== undefined ? { endColumn: at.endColumn } : {}),
    },
  };
}

/** One SARIF run for every verified config, with the full rule list. */
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
  const single = reports.length === 1 ? reports[0] : undefined;
  const kinds = [...new Set(reports.map((r) => r.kind))].sort().join("+") || "static";
  const shown = (r: Result) => {
    const status = reportedStatus(r);
    if (status === "ADVICE") return meta.adviceAsAlerts === true;
    return status === "FAIL" || status === "ERROR" || r.suppression !== undefined;
  };
  const results = reports.flatMap(({ config, results }) =>
    results.filter(shown).map((r) => {
      // A config given by path is where a result without a location points; "example" has no file.
      const at = r.location ?? { uri: config, line: 1 };
      const related = (at.related ?? []).map((x, i) => ({
        id: i + 1,
        physicalLocation: physical(x, meta),
        message: { text: "the Terraform resource (generated; fix it through the location above)" },
      }));
      return {
        ruleId: r.ruleId,
        ...(index.has(r.ruleId) ? { ruleIndex: index.get(r.ruleId) } : {}),
        kind: "fail",
        level: levelOf(r),
        message: { text: reportedStatus(r) === "FAIL" ? r.message : `${reportedStatus(r)}: ${r.message}` },
        locations: [
          {
            physicalLocation: physical(at, meta),
            ...(r.resource !== "-" ? { logicalLocations: [{ name: r.resource, kind: "resource" }] } : {}),
          },
        ],
        ...(related.length > 0 ? { relatedLocations: related } : {}),
        partialFingerprints: {
          ...(at.lineHash ? { primaryLocationLineHash: at.lineHash } : {}),
          "ruleResource/v1": fingerprint(single ? r : { ruleId: r.ruleId, resource: `${config}\n${r.resource}` }),
        },
        properties: {
          status: reportedStatus(r),
          severity: r.severity,
          ...(single ? {} : { config }),
        },
        ...(r.suppression
          ? { suppressions: [{ kind: "external", status: "accepted", justification: r.suppression.reason }] }
          : {}),
      };
    }),
  );
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "cloudsmith-log-export",
            version: meta.version,
            semanticVersion: meta.version,
            informationUri: meta.docsUrl,
            rules,
          },
        },
        // One category per config when there is one; several configs share the run's category.
        automationDetails: {
          id: single ? automationId(single.kind, single.config) : `cloudsmith-log-export/${kinds}/`,
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: `${pathToFileURL(meta.sourceRoot).href}/` } },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
