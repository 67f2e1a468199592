/** `audit-log pull`: the organization's audit log as JSON lines, incrementally, via a state file. */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuditLogClient, CloudsmithApiError, isLoopbackUrl } from "../../cloudsmith-api/client.js";
import { EventFile } from "../../cloudsmith-api/event-file.js";
import { checkState, PullLimitError, type PullState, pullAuditLog } from "../../cloudsmith-api/pull.js";
import { lockState, StateLocked } from "../../cloudsmith-api/state-lock.js";
import { checkOrgSlug, errorsOf } from "../../config/rules.js";
import { writeFileAtomically as writeAtomically } from "../../util/atomic-write.js";
import { sinceFlag } from "../../util/duration.js";
import { EXIT, ExitError, usageError } from "../../util/errors.js";
import { InputFileError, MiB, readJsonFile } from "../../util/json-file.js";
import { printable } from "../../util/printable.js";

export interface AuditLogPullOptions {
  org: string;
  since?: string;
  state?: string;
  out: string;
  pageSize: string;
  apiUrl?: string;
}

/**
 * One request a second is Cloudsmith's etiquette. A local stand-in on loopback (tests, the
 * benchmark) may lift it with CLOUDSMITH_API_MIN_INTERVAL_MS; the real API never can.
 */
function localInterval(baseUrl: string | undefined): number | undefined {
  const raw = process.env.CLOUDSMITH_API_MIN_INTERVAL_MS;
  if (raw === undefined || !baseUrl) return undefined;
  return isLoopbackUrl(baseUrl) && /^\d+$/.test(raw) ? Number(raw) : undefined;
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
  // The same --since as verify's: a duration back from now, or an RFC 3339 time.
  const since = opts.since === undefined ? undefined : sinceFlag("--since", opts.since).toISOString();
  const pageSize = Number(opts.pageSize);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) throw usageError("--page-size takes 1-500");
  const apiKey = apiKeyFromEnv();

  let client: AuditLogClient;
  try {
    const baseUrl = opts.apiUrl ?? process.env.CLOUDSMITH_API_URL;
    client = new AuditLogClient({ apiKey, baseUrl, minIntervalMs: localInterval(baseUrl) });
  } catch (e) {
    throw usageError(`${(e as Error).message}. Nothing was written.`);
  }

  let release: (() => Promise<void>) | undefined;
  if (opts.state) {
    // Checked before the lock is taken: a state path that is not a state file (a device, a
    // directory) gets no lock file beside it.
    await readState(opts.state, opts.org);
    try {
      release = await lockState(opts.state);
    } catch (e) {
      if (e instanceof StateLocked) throw usageError(`${e.message}. Nothing was written.`);
      throw e;
    }
  }
  try {
    await pullWith(client, opts, { since, pageSize });
  } finally {
    await release?.();
  }
}

/** A state file holds a cursor and at most 50,000 recent ids: a few MiB at most. */
const MAX_STATE_BYTES = 16 * MiB;

async function readState(file: string, org: string): Promise<PullState | undefined> {
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = (await readJsonFile(file, { maxBytes: MAX_STATE_BYTES })).value;
  } catch (e) {
    if (e instanceof InputFileError) throw usageError(`--state ${e.message}`);
    throw e;
  }
  const problem = checkState(raw);
  if (problem) throw usageError(`--state ${file}: ${printable(problem, 200)}; fix or remove it. Nothing was written.`);
  const state = raw as PullState;
  if (state.org !== org)
    throw usageError(`--state ${file} belongs to organization '${printable(state.org, 100)}', not '${org}'`);
  return state;
}

async function pullWith(
  client: AuditLogClient,
  opts: AuditLogPullOptions,
  { since, pageSize }: { since?: string; pageSize: number },
): Promise<void> {
  const state = opts.state ? await readState(opts.state, opts.org) : undefined;
  const tty = process.stderr.isTTY;
  // Events go to a file beside the output as they arrive: memory stays flat however many there are.
  const file = new EventFile(opts.out === "-" ? join(tmpdir(), "cloudsmith-audit-log") : opts.out);
  let result: Awaited<ReturnType<typeof pullAuditLog>>;
  try {
    result = await pullAuditLog(client, opts.org, {
      emit: (e) => file.add(e),
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
    file.discard();
    if (e instanceof CloudsmithApiError) throw new ExitError(EXIT.usage, `${e.message}. Nothing was written.`);
    if (e instanceof PullLimitError) throw new ExitError(EXIT.checksFailed, `${e.message}. Nothing was written.`);
    throw new ExitError(EXIT.checksFailed, `${(e as Error).message}. Nothing was written.`);
  } finally {
    if (tty) process.stderr.write("\r\u001b[2K");
  }

  // Events first, then the cursor: if writing stops in between, the next run fetches them again.
  if (opts.out === "-") file.commitTo((chunk) => process.stdout.write(chunk));
  else file.commit(opts.out);
  if (opts.state) await writeAtomically(opts.state, `${JSON.stringify(result.state, null, 2)}\n`);
  for (const e of result.unusable.slice(0, 5))
    process.stderr.write(
      `warning: event ${printable(String(e.uuid), 80)} has the time ${printable(JSON.stringify(e.event_at) ?? "none", 80)}, which the cursor cannot use: written once, the cursor stays put\n`,
    );
  if (result.unusable.length > 5) process.stderr.write(`warning: and ${result.unusable.length - 5} more such events\n`);
  const where = opts.out === "-" ? "" : ` to ${printable(opts.out, 200)}`;
  process.stderr.write(
    `${result.count} new event(s)${where} from ${result.pages} page(s)${result.state.cursor ? `; newest ${result.state.cursor.eventAt}` : ""}\n`,
  );
}
