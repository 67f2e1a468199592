/** `audit-log pull`: the organization's audit log as JSON lines, incrementally, via a state file. */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { AuditLogClient, CloudsmithApiError } from "../../cloudsmith-api/client.js";
import { checkBackfillTime, type PullState, pullAuditLog } from "../../cloudsmith-api/pull.js";
import { checkOrgSlug, errorsOf } from "../../config/rules.js";
import { writeFileAtomically as writeAtomically } from "../../util/atomic-write.js";
import { EXIT, ExitError, usageError } from "../../util/errors.js";

export interface AuditLogPullOptions {
  org: string;
  since?: string;
  state?: string;
  out: string;
  pageSize: string;
  apiUrl?: string;
}

export function apiKeyFromEnv(): string {
  const key = process.env.CLOUDSMITH_API_KEY;
  if (!key)
    throw usageError(
      "set CLOUDSMITH_API_KEY to a Cloudsmith API key (it is read from the environment only, and never printed)",
    );
  return key;
}

export async function runAuditLogPull(opts: AuditLogPullOptions): Promise<void> {
  const slugProblem = errorsOf(checkOrgSlug(opts.org))[0];
  if (slugProblem) throw usageError(`--org "${opts.org}": ${slugProblem.rule}`);
  const since = opts.since;
  if (since !== undefined) {
    const problem = checkBackfillTime(since);
    if (problem) throw usageError(`--since "${since}": ${problem}`);
  }
  const pageSize = Number(opts.pageSize);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) throw usageError("--page-size takes 1-500");
  const apiKey = apiKeyFromEnv();

  let state: PullState | undefined;
  if (opts.state && existsSync(opts.state)) {
    try {
      state = JSON.parse(await readFile(opts.state, "utf8")) as PullState;
    } catch (e) {
      throw usageError(`--state ${opts.state}: not a state file (${(e as Error).message})`);
    }
    if (state.org !== opts.org)
      throw usageError(`--state ${opts.state} belongs to organization '${state.org}', not '${opts.org}'`);
  }

  const client = new AuditLogClient({ apiKey, baseUrl: opts.apiUrl ?? process.env.CLOUDSMITH_API_URL });
  const tty = process.stderr.isTTY;
  let result: Awaited<ReturnType<typeof pullAuditLog>>;
  try {
    result = await pullAuditLog(client, opts.org, {
      since: state ? undefined : since ? new Date(since) : undefined,
      state,
      pageSize,
      onProgress: tty
        ? (n, page, total) =>
            process.stderr.write(
              `\rPulling the audit log of ${opts.org}: ${n} events, page ${page}${total ? `/${total}` : ""}`,
            )
        : undefined,
    });
  } catch (e) {
    if (e instanceof CloudsmithApiError) throw new ExitError(EXIT.usage, `${e.message}. Nothing was written.`);
    throw new ExitError(EXIT.checksFailed, `${(e as Error).message}. Nothing was written.`);
  } finally {
    if (tty) process.stderr.write("\r\u001b[2K");
  }

  const lines = result.events.map((e) => `${JSON.stringify(e)}\n`).join("");
  // Events first, then the cursor: if writing stops in between, the next run fetches them again.
  if (opts.out === "-") process.stdout.write(lines);
  else await writeAtomically(opts.out, lines);
  if (opts.state) await writeAtomically(opts.state, `${JSON.stringify(result.state, null, 2)}\n`);
  const where = opts.out === "-" ? "" : ` to ${opts.out}`;
  process.stderr.write(
    `${result.events.length} new event(s)${where} from ${result.pages} page(s)${result.state.cursor ? `; newest ${result.state.cursor.eventAt}` : ""}\n`,
  );
}
