/**
 * The command line. Only commander loads up front: each action imports its
 * own module, so `--help` never pays for cdktf, the AWS SDK or Inquirer.
 * One error boundary maps every failure to an exit code.
 */
import { Command, CommanderError, Option } from "commander";
import { DEFAULT_CONFIG_FILE } from "../config/constants.js";
import { ConfigError } from "../config/errors.js";
import { debugEnabled, enableDebug } from "../util/debug.js";
import { EXIT, ExitError, fileProblem } from "../util/errors.js";
import type { FlagSpec } from "../util/flag-spec.js";
import { InputFileError } from "../util/json-file.js";
import { packageVersion } from "../util/package-root.js";
import { printable, printableLines } from "../util/printable.js";
import { outputWidth } from "../util/wrap.js";
import { addConfigFlags, passedFlags } from "./config-flags.js";
import { optionOf } from "./option-of.js";

/** Help prose written as separate sentences or lines, joined with one space: no word is ever glued to the next. */
const para = (...parts: string[]): string => parts.join(" ");

/** The command being run, for messages that depend on it. */
let running: string | undefined;

/**
 * The program. verify's flags come from its table, which reads the check packs' own flags: it is
 * loaded only when the command line names verify, so --help and the other commands stay light.
 */
function buildProgram(verifyFlags: readonly FlagSpec[]): Command {
  const program = new Command("cloudsmith-log-export")
    .description("Set up Cloudsmith log exports to S3 and the CloudTrail audit trail on AWS, correct the first time.")
    .version(packageVersion(), "-v, --version")
    .option("--no-color", "no colour in the output, anywhere on the line (NO_COLOR=1 does the same)")
    .option("--debug", "log each step, AWS call and API request (no parameters, no secrets) with timings to stderr")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .hook("preAction", (_program, action) => {
      running = action.name();
    })
    // Help fits like every other text: COLUMNS, else the terminal, else 80.
    .configureOutput({
      outputError: (str, write) => write(str),
      getOutHelpWidth: () => outputWidth(process.stdout),
      getErrHelpWidth: () => outputWidth(process.stderr),
    })
    // One style for defaults and choices everywhere: (default: 8), (one of: text, json), no JSON quotes.
    .configureHelp({
      // Commander stops wrapping a description column narrower than 40; wrap down to 20 so help
      // fits a narrow terminal too.
      minWidthToWrap: 20,
      optionDescription(option) {
        const extra: string[] = [];
        if (option.argChoices) extra.push(`one of: ${option.argChoices.join(", ")}`);
        const shown =
          option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === "boolean");
        if (option.defaultValue !== undefined && shown && !option.negate)
          extra.push(
            `default: ${option.defaultValueDescription ?? (Array.isArray(option.defaultValue) ? option.defaultValue.join(",") : String(option.defaultValue))}`,
          );
        return extra.length > 0 ? `${option.description} (${extra.join("; ")})` : option.description;
      },
    })
    .addHelpText(
      "after",
      `
Getting started:
  cloudsmith-log-export init      answer a few questions: config and Terraform
  cloudsmith-log-export request   the message to send Cloudsmith
  terraform -chdir=cdktf.out/stacks/cloudsmith-log-export init   (then apply)
  cloudsmith-log-export verify    prove the deployment is right

In CI:
  cloudsmith-log-export synth     deterministic Terraform JSON from the config
  cloudsmith-log-export verify --static plan.json --output junit \\
    --output-file verify.xml

Exit codes: 0 ok, 1 checks failed, 2 usage, config or file error,
3 internal error, 130 cancelled.`,
    );

  addConfigFlags(
    program
      .command("init")
      .summary("guided setup: write the config, generate Terraform, print the request for Cloudsmith")
      .description(
        para(
          "Ask for everything the export needs, validating each answer with AWS's rules, then write the config,",
          "synthesize Terraform and print what to send Cloudsmith. Run it again to change answers or add the",
          "External ID. Flags answer questions up front; without a terminal, every answer must come from flags.",
        ),
      )
      .option("-c, --config <file>", "config file to write (and read defaults from)", DEFAULT_CONFIG_FILE)
      .option("-o, --out <dir>", "output directory for Terraform", "cdktf.out")
      .option("-y, --yes", "accept the default for every question not answered by a flag")
      .option("--profile <name>", "AWS profile used to prefill the account ID")
      .option("--no-synth", "write the config only"),
  ).action(async (opts, cmd: Command) => {
    const { runInit } = await import("./commands/init.js");
    await runInit(opts, passedFlags(cmd));
  });

  addConfigFlags(
    program
      .command("synth")
      .summary("generate Terraform JSON from the config")
      .description(
        para(
          "Validate the config and synthesize Terraform JSON (CDK for Terraform layout) for the export bucket,",
          "the Cloudsmith writer role and the CloudTrail trail. Flags override the config file.",
        ),
      )
      .option("-c, --config <file>", `config file (default: ${DEFAULT_CONFIG_FILE} when present)`)
      .option("--example", "use the bundled example config")
      .option("-o, --out <dir>", "output directory", "cdktf.out")
      .option("--json", "print a machine-readable summary"),
  ).action(async (opts, cmd: Command) => {
    const { runSynth } = await import("./commands/synth.js");
    await runSynth(opts, passedFlags(cmd));
  });

  program
    .command("request")
    .summary("print the message to send Cloudsmith")
    .description(
      para(
        "Print the hand-off for Cloudsmith from the config: account, bucket, prefixes, role, format, scope and",
        "included fields. Before the External ID arrives it asks for one; once the config has it, it names the",
        "role to assume (send it after terraform apply).",
      ),
    )
    .option("-c, --config <file>", `config file (default: ${DEFAULT_CONFIG_FILE} when present)`)
    .option("--example", "use the bundled example config")
    .addOption(new Option("--format <format>", "output format").choices(["text", "markdown", "json"]).default("text"))
    .addOption(
      new Option(
        "--stage <stage>",
        "request: ask for the External ID; ready: the role is deployed (default: from the config)",
      ).choices(["request", "ready"]),
    )
    .action(async (opts) => {
      const { runRequest } = await import("./commands/request.js");
      await runRequest(opts);
    });

  const verify = program
    .command("verify")
    .summary("check the deployed (or planned) setup against Cloudsmith's and CloudTrail's requirements")
    .description(
      para(
        "Read the role, its policies, the bucket and the trail with the AWS SDK and run every rule. A read that",
        "fails is an ERROR and fails the run; it is never a PASS. With --static, run the same rules on the",
        "synthesized Terraform JSON or on `terraform show -json` plan output, before deploy.",
        "Exit codes: 0 all passed, 1 a FAIL or ERROR, 2 usage, config or file error, 3 internal error.",
      ),
    )
    .action(async (opts) => {
      const { runVerifyCommand } = await import("./commands/verify.js");
      process.exitCode = await runVerifyCommand(opts);
    });
  for (const spec of verifyFlags) verify.addOption(optionOf(spec));
  // Not loaded (another command runs): one hidden option keeps "verify [options]" in the command list.
  if (verifyFlags.length === 0) verify.addOption(new Option("--example").hideHelp());

  program
    .command("investigate")
    .summary("who pulled a package: every request from the download log, CodeArtifact and the audit log")
    .description(
      para(
        "Find every request for one package in the window, from every source the config has: Cloudsmith's",
        "download (client) log and audit log in the export bucket, and CodeArtifact's requests in the trail.",
        "With --engine local (the default) the objects are fetched into a local cache (re-runs fetch only",
        "what is new) and queried with embedded DuckDB; with --engine athena the same SQL runs in Athena over",
        "the query layer synth creates (config `query.athena`). Exit codes: 0 done (with or without rows),",
        "1 a source could not be read, 2 usage.",
      ),
    )
    .requiredOption(
      "--package <spec>",
      "<format>:<name>[@<version>], e.g. `npm:lodash@4.17.20` (version: exact, *, 4.17.* or a semver range)",
    )
    .option("--since <when>", "from this far back (30d) or this RFC 3339 time (default: 30d)")
    .option("--from <time>", "from this time (RFC 3339, or a duration back from now)")
    .option("--to <time>", "up to this time (default: now)")
    .addOption(
      new Option("--output <format>", "output format (ndjson: one row a line, nothing else)")
        .choices(["table", "json", "csv", "ndjson"])
        .default("table"),
    )
    .option("-c, --config <file>", `config file (default: ${DEFAULT_CONFIG_FILE} when present)`)
    .option("--example", "use the bundled example config")
    .option("--user <name>", "only requests by this Cloudsmith user")
    .option("--token <id>", "only requests with this Cloudsmith token")
    .option("--principal <arn>", "only requests by this IAM principal (CodeArtifact)")
    .option("--ip <address>", "only requests from this address")
    .addOption(
      new Option("--engine <engine>", "local: DuckDB on this machine; athena: the query layer").choices([
        "local",
        "athena",
      ]),
    )
    .option("--query-timeout <seconds>", "athena: stop the query after this long (default: 300)")
    .option("--concurrency <n>", "local: objects fetched at once, 1-64 (default: 16)")
    .option("--cache-dir <dir>", "where fetched objects are kept (default: ~/.cache/cloudsmith-log-export/investigate)")
    .option("--no-cache", "fetch everything again into a temporary folder, removed afterwards")
    .option("--profile <name>", "AWS profile (default: the standard credential chain)")
    .option("--aws-region <region>", "AWS region for API calls (default: the config's region)")
    .option("--endpoint-url <url>", "send every AWS call to this URL (a local emulator)")
    .option("--aws-timeout <seconds>", "each attempt of an AWS read (default: 30)")
    .action(async (opts) => {
      const { runInvestigate } = await import("./commands/investigate.js");
      process.exitCode = await runInvestigate(opts);
    });

  program
    .command("audit-log")
    .summary("work with the Cloudsmith audit-log API")
    .command("pull")
    .summary("pull the organization's audit log as JSON lines")
    .description(
      para(
        "Pull the organization's audit log from the Cloudsmith API (key from CLOUDSMITH_API_KEY), following",
        "pagination, at most one request a second. With --state, the next run fetches only new events:",
        "no duplicates, no gaps. Output is written whole or not at all.",
      ),
    )
    .requiredOption("--org <slug>", "organization slug")
    .option(
      "--since <when>",
      "backfill from this time on the first run: a duration (30d) or an RFC 3339 time (2026-01-01T00:00:00Z)",
    )
    .option("--state <file>", "state file with the cursor for incremental pulls")
    .option("--out <file>", "where to write the JSON lines ('-' for stdout)", "-")
    .option("--page-size <n>", "events per request (1-500)", "500")
    .option("--api-url <url>", "API base URL (default: https://api.cloudsmith.io, or CLOUDSMITH_API_URL)")
    .action(async (opts) => {
      const { runAuditLogPull } = await import("./commands/audit-log.js");
      await runAuditLogPull(opts);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  // Output piped into `head` (or a closed pager) is not an error: stop quietly, as Unix tools do.
  for (const stream of [process.stdout, process.stderr])
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  // -V, the spelling of earlier releases (and commander's default), still prints the version.
  if (argv.length === 3 && argv[2] === "-V") argv = [...argv.slice(0, 2), "--version"];
  // --no-color works before or after the command: it is the NO_COLOR convention, set for the whole run.
  if (argv.slice(2).includes("--no-color")) {
    process.env.NO_COLOR = "1";
    argv = [...argv.slice(0, 2), ...argv.slice(2).filter((a) => a !== "--no-color")];
  }
  // --debug too: before or after the command, for the whole run.
  if (argv.slice(2).includes("--debug")) {
    enableDebug();
    argv = [...argv.slice(0, 2), ...argv.slice(2).filter((a) => a !== "--debug")];
  }
  const verifyFlags = argv.slice(2).includes("verify") ? (await import("../verify/flags.js")).VERIFY_FLAGS : [];
  const program = buildProgram(verifyFlags);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}

export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" only to commander; help shown because a subcommand is missing
    // (`audit-log` alone) is a usage error.
    if (
      error.exitCode === 0 &&
      (error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help")
    )
      return EXIT.ok;
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    // Only a command that writes files says so; verify and request never write.
    const writes = running === "init" || running === "synth";
    process.stderr.write(
      `cloudsmith-log-export: ${printableLines(error.message)}\n${writes ? "Nothing was written.\n" : ""}`,
    );
    return EXIT.usage;
  }
  if (error instanceof InputFileError) {
    // A file the user named that the tool cannot take: one line, the path and the problem.
    process.stderr.write(`cloudsmith-log-export: ${printable(error.message, 500)}\n`);
    return EXIT.usage;
  }
  if (error instanceof ExitError) {
    // Messages carry paths, flags and server text: escaped and redacted here, once, for all.
    if (error.message) process.stderr.write(`cloudsmith-log-export: ${printableLines(error.message)}\n`);
    return error.code;
  }
  if (error instanceof Error && error.name === "ExitPromptError") {
    process.stderr.write("Cancelled; nothing was written.\n");
    return EXIT.cancelled;
  }
  const file = fileProblem(error);
  if (file) {
    process.stderr.write(`cloudsmith-log-export: ${printable(file, 500)}\n`);
    return EXIT.usage;
  }
  // Anything else is a bug: its own exit code, one line, and the stack only when asked for.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`cloudsmith-log-export: internal error: ${printable(message, 500)}\n`);
  if (debugEnabled() && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write("(a bug: run again with --debug for the stack trace, and report it)\n");
  return EXIT.internal;
}
