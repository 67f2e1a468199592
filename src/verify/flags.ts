/**
 * `verify`'s flags, one row each, in the order `--help` shows them: the
 * run's own flags here, each pack's from its pack (checks/<pack>/pack.ts).
 * The commander options (cli/main.ts), the values' parsing and the run's
 * options (cli/commands/verify.ts) all come from this table.
 */
import { PACKS } from "../checks/index.js";
import { DEFAULT_CONFIG_FILE } from "../config/constants.js";
import { type FlagSpec, flagSpec } from "../util/flag-spec.js";

export const OUTPUT_FORMATS = ["text", "json", "junit", "sarif", "codequality", "asff"] as const;

const BEFORE_PACKS: readonly FlagSpec[] = [
  flagSpec({
    flags: "-c, --config <path>",
    help: `config file, or a directory of them; repeat for several (default: ${DEFAULT_CONFIG_FILE})`,
    repeatable: true,
  }),
  flagSpec({ flags: "--example", help: "use the bundled example config" }),
  flagSpec({
    flags: "--assume-role-arn <arn>",
    help: "role to assume in each config's account first; {accountId} is replaced (e.g. arn:aws:iam::{accountId}:role/SecurityAudit)",
  }),
  flagSpec({ flags: "--concurrency <n>", help: "configs verified at once", default: "8" }),
  flagSpec({
    flags: "--aws-timeout <seconds>",
    help: "each attempt of an AWS read, headers and whole body; 3 attempts, then ERROR (default: 30, so a stalled read is ERROR within 2 minutes)",
  }),
  flagSpec({ flags: "--deadline <duration>", help: "stop the whole run after this long, exit 1 (default: 15m)" }),
  flagSpec({ flags: "--profile <name>", help: "AWS profile (default: the standard credential chain)" }),
  flagSpec({
    flags: "--aws-region <region>",
    help: "AWS region for API calls (default: the config's region)",
  }),
  // The old spelling: on synth and init --region is the config's region, so verify's is --aws-region.
  flagSpec({ flags: "--region <region>", help: "old spelling of --aws-region", hidden: true }),
  flagSpec({ flags: "--endpoint-url <url>", help: "one endpoint for every AWS service (e.g. a local emulator)" }),
  flagSpec({
    flags: "--static [path]",
    help: "check Terraform instead of AWS: a stack dir, cdk.tf.json or plan JSON (default: cdktf.out)",
  }),
  flagSpec({
    flags: "--output <format>",
    help: "report format (codequality: GitLab Code Quality; asff: Security Hub findings)",
    choices: OUTPUT_FORMATS,
    default: "text",
  }),
  flagSpec({
    flags: "--output-file <file>",
    help: "write the --output report to a file (the text report still goes to stdout)",
  }),
  flagSpec({
    flags: "--securityhub",
    help: "also import the findings into Security Hub (BatchImportFindings) in each config's region; passing again resolves them",
  }),
  flagSpec({
    flags: "--report <format=file>",
    help: "also write a report to a file, e.g. sarif=verify.sarif (repeatable: SARIF and JUnit from one run)",
    repeatable: true,
  }),
];

const AFTER_PACKS: readonly FlagSpec[] = [
  flagSpec({ flags: "--allow-errors", help: "ERROR results (unreadable facts) do not fail the run" }),
  flagSpec({
    flags: "--severity-threshold <severity>",
    help: "FAILs below this severity are reported and do not fail the run",
    choices: ["low", "medium", "high", "critical"],
    default: "low",
  }),
  flagSpec({
    flags: "--rule <ids>",
    help: "run only these rules: ids or areas (trust, trail.*), comma-separated or repeated",
    repeatable: true,
  }),
  flagSpec({
    flags: "--skip-rule <ids>",
    help: "do not run these rules: ids or areas, comma-separated or repeated",
    repeatable: true,
  }),
  flagSpec({
    flags: "--suppress <rule=reason>",
    help: "suppress a rule for this run, with the reason a reviewer will see (repeatable; as suppressions in the config)",
    repeatable: true,
  }),
  flagSpec({ flags: "-q, --quiet", help: "text report: only FAIL and ERROR lines, then the summary" }),
  flagSpec({
    flags: "--advice-as-alerts",
    help: "SARIF: include ADVICE (recommendations) as note results; left out by default, so a correct setup raises no alert",
  }),
  flagSpec({ flags: "--list-rules", help: "list the rules and exit" }),
  flagSpec({
    flags: "--print-iam-policy",
    help: "print the least-privilege IAM policy this verify needs (for the config and options given) and exit",
  }),
];

/** Every verify flag: the run's, then each pack's, then the selection and output switches. */
export const VERIFY_FLAGS: readonly FlagSpec[] = [
  ...BEFORE_PACKS,
  ...PACKS.flatMap((p) => p.flags ?? []),
  ...AFTER_PACKS,
];
