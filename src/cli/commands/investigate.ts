/**
 * `investigate`: who pulled a package, when, from where, with which credentials, from every
 * source the config has (Cloudsmith's download log and audit log in the export bucket, and
 * CodeArtifact's requests in the trail), on this machine with embedded DuckDB over a local cache.
 */
import { defaultCacheDir, NO_CACHE, ObjectCache } from "../../investigate/cache.js";
import {
  ENGINE_MISSING,
  EngineMissing,
  engineInstalled,
  loadEngine,
  queryLocal,
} from "../../investigate/engine-local.js";
import type { SourceReport } from "../../investigate/gather.js";
import {
  mentionPattern,
  mentionsPackage,
  normalName,
  parsePackageSpec,
  versionMatcher,
} from "../../investigate/package-spec.js";
import { type InvestigateOutput, render } from "../../investigate/render.js";
import type { Row } from "../../investigate/rows.js";
import { sinceFlag } from "../../util/duration.js";
import { EXIT, ExitError, usageError } from "../../util/errors.js";
import { printable } from "../../util/printable.js";
import { resolveConfig } from "../resolve-config.js";

export interface InvestigateOptions {
  package: string;
  since?: string;
  from?: string;
  to?: string;
  output: InvestigateOutput;
  config?: string;
  example?: boolean;
  user?: string;
  token?: string;
  principal?: string;
  ip?: string;
  cacheDir?: string;
  cache?: boolean;
  profile?: string;
  awsRegion?: string;
  endpointUrl?: string;
  awsTimeout?: string;
  engine?: string;
  queryTimeout?: string;
  concurrency?: string;
}

export async function runInvestigate(opts: InvestigateOptions): Promise<number> {
  let spec: ReturnType<typeof parsePackageSpec>;
  let matches: Awaited<ReturnType<typeof versionMatcher>>;
  try {
    spec = parsePackageSpec(opts.package);
    matches = await versionMatcher(spec);
  } catch (e) {
    throw usageError(`--package: ${(e as Error).message}`);
  }
  const now = new Date();
  if (opts.since !== undefined && (opts.from !== undefined || opts.to !== undefined))
    throw usageError("give either --since or --from/--to, not both");
  const from = sinceFlag(opts.from !== undefined ? "--from" : "--since", opts.from ?? opts.since ?? "30d", now);
  const to = opts.to !== undefined ? sinceFlag("--to", opts.to, now) : now;
  if (to < from) throw usageError("--to is before --from");
  const who = [
    opts.user !== undefined ? `user:${opts.user}` : undefined,
    opts.token !== undefined ? `token:${opts.token}` : undefined,
    opts.principal,
  ].filter((x): x is string => x !== undefined);
  if (who.length > 1) throw usageError("give one of --user, --token and --principal");
  const timeoutS = opts.awsTimeout === undefined ? undefined : Number(opts.awsTimeout);
  if (timeoutS !== undefined && !(Number.isFinite(timeoutS) && timeoutS >= 1 && timeoutS <= 600))
    throw usageError("--aws-timeout takes 1-600 (seconds)");

  const engine = opts.engine ?? "local";
  if (engine !== "local" && engine !== "athena") throw usageError("--engine takes local or athena");
  const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64))
    throw usageError("--concurrency takes 1-64");
  const queryTimeoutS = opts.queryTimeout === undefined ? 300 : Number(opts.queryTimeout);
  if (!(Number.isFinite(queryTimeoutS) && queryTimeoutS >= 5 && queryTimeoutS <= 3600))
    throw usageError("--query-timeout takes 5-3600 (seconds)");

  const { config } = await resolveConfig({ config: opts.config, example: opts.example });
  const athena = config.query?.athena;
  if (engine === "athena" && !athena)
    throw usageError(
      '--engine athena needs the query layer: add "query": {"athena": {}} to the config, run synth and apply it',
    );
  // The engine is looked up first: minutes of fetching must not end in "DuckDB is missing". It is
  // loaded (a native module, a noticeable part of a second) while the first objects download.
  if (engine === "local" && !engineInstalled()) throw new ExitError(EXIT.usage, ENGINE_MISSING);
  const aws = {
    profile: opts.profile,
    region: opts.awsRegion,
    endpointUrl: opts.endpointUrl,
    ...(timeoutS !== undefined ? { requestTimeoutMs: timeoutS * 1000 } : {}),
  };
  const { mkdtemp, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  // --no-cache: objects stay in memory; the scratch folder only holds the rows DuckDB reads.
  const scratch = opts.cache === false ? await mkdtemp(join(tmpdir(), "cle-investigate-")) : undefined;
  const cacheDir = scratch ?? opts.cacheDir ?? defaultCacheDir();
  const cache = scratch ? NO_CACHE : new ObjectCache(cacheDir);
  const { createClients } = await import("../../aws/clients.js");
  const { gather } = await import("../../investigate/gather.js");
  const clients = await createClients(config, aws);
  const tty = process.stderr.isTTY;
  let seen = 0;
  try {
    let trail: Awaited<ReturnType<typeof import("../../checks/trail-location.js").resolveTrail>> | undefined;
    const resolveTrailOnce = async () => {
      const { resolveTrail } = await import("../../checks/trail-location.js");
      trail = await resolveTrail(clients, config);
      return trail;
    };
    // Rows carry whole seconds: the window starts at the second it names and ends with the whole
    // second it falls in (a download logged in the same second as the run is in it).
    const window = {
      from: new Date(Math.floor(from.getTime() / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z"),
      to: new Date(Math.ceil(to.getTime() / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z"),
    };
    let rows: Row[];
    let sources: SourceReport[];
    if (engine === "athena" && athena) {
      ({ rows, sources } = await investigateInAthena(clients, config, athena, {
        window,
        from,
        to,
        spec,
        principal: who[0],
        ip: opts.ip,
        deadlineMs: queryTimeoutS * 1000,
      }));
      if (config.cloudtrail.mode !== "none" && rows.some((r) => r.source === "codeartifact"))
        await resolveTrailOnce().catch((e: Error) =>
          process.stderr.write(
            `warning: the trail could not be read, so integrity stays "unchecked": ${printable(e.message, 300)}\n`,
          ),
        );
    } else {
      // If DuckDB cannot load after all, the fetching stops there and the run says why (exit 2).
      const engineFailed = new AbortController();
      const engineLoaded = loadEngine().then(
        () => undefined,
        (e: unknown) => {
          engineFailed.abort();
          return e;
        },
      );
      const gathered = await gather(clients, config, { from, to }, cache, {
        signal: engineFailed.signal,
        mentions: mentionsPackage(spec),
        trail: async () => {
          const { logFolder } = await import("../../cloudtrail/layout.js");
          const t = await resolveTrailOnce();
          return { bucket: t.location.bucket, folder: logFolder(t.location) };
        },
        onObject: tty ? () => process.stderr.write(`\rReading the logs: ${++seen} object(s)`) : undefined,
        concurrency,
      });
      // Never "nothing found" from a run that skipped its objects because DuckDB would not load.
      const engineError = await engineLoaded;
      if (engineError !== undefined) {
        if (engineError instanceof EngineMissing) throw new ExitError(EXIT.usage, engineError.message);
        throw engineError;
      }
      sources = gathered.sources;
      if (tty) process.stderr.write("\r\u001b[2K");
      try {
        rows = await queryLocal({
          rows: gathered.rows,
          scratchDir: cacheDir,
          ...window,
          format: spec.format,
          name: normalName(spec.format, spec.name),
          rawName: spec.name,
          principal: who[0],
          ip: opts.ip,
        });
      } catch (e) {
        if (e instanceof EngineMissing) throw new ExitError(EXIT.usage, e.message);
        throw e;
      }
    }
    // A version range is judged here (semver); downloads matched by URI carry no version to judge.
    // Audit events concern the package whatever the version, and carry none.
    rows = rows.filter((r) =>
      r.source === "cloudsmith-audit"
        ? true
        : r.package.version === null
          ? r.uri !== null && versionInUri(r.uri, spec)
          : matches(r.package.version),
    );
    // Can we prove it: each CodeArtifact row's file against the trail's digest chain.
    if (trail && rows.some((r) => r.source === "codeartifact")) await markIntegrity(clients, trail, rows, { from, to });
    process.stdout.write(render(opts.output, { spec, window: { from, to }, rows, sources }));
    reportSources(sources);
    if (rows.length === 0)
      process.stderr.write(
        `no requests for ${printable(spec.text, 80)} between ${from.toISOString()} and ${to.toISOString()}\n`,
      );
    return sources.some((s) => s.error !== undefined) ? EXIT.checksFailed : EXIT.ok;
  } finally {
    clients.destroy();
    // What was fetched is kept for the next run even when this one failed part-way.
    await cache
      .close()
      .catch((e: Error) =>
        process.stderr.write(`warning: the cache in ${cacheDir} could not be saved: ${printable(e.message, 300)}\n`),
      );
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The same investigation in Athena: the SQL over the query layer's relation, with the window's
 * days for the trail's partitions. Its answer is one report per table; bytes scanned go to stderr.
 */
async function investigateInAthena(
  clients: Awaited<ReturnType<typeof import("../../aws/clients.js").createClients>>,
  config: import("../../config/schema.js").Config,
  athena: import("../../config/query-schema.js").AthenaConfig,
  q: {
    window: { from: string; to: string };
    from: Date;
    to: Date;
    spec: ReturnType<typeof parsePackageSpec>;
    principal?: string;
    ip?: string;
    deadlineMs: number;
  },
): Promise<{ rows: Row[]; sources: SourceReport[] }> {
  const { athenaRelation } = await import("../../query/relation.js");
  const { tableSpecs } = await import("../../query/tables.js");
  const { investigationSql, positional, withRelation } = await import("../../investigate/sql.js");
  const { runAthena, AthenaQueryFailed } = await import("../../investigate/engine-athena.js");
  const { fromFlat } = await import("../../investigate/rows.js");
  const day = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, "/");
  const sql = withRelation(investigationSql(q.spec.format), athenaRelation(config, athena));
  const bound = positional(sql, {
    ...q.window,
    name: normalName(q.spec.format, q.spec.name),
    raw_name: q.spec.name,
    format: q.spec.format,
    principal: q.principal ?? "",
    ip: q.ip ?? "",
    mention: mentionPattern(q.spec),
    // A record's file may sit in the folder of the day before (delivery lags by minutes).
    from_day: day(new Date(q.from.getTime() - 86_400_000)),
    to_day: day(q.to),
  });
  const { mod, client } = await clients.athena();
  const tables = tableSpecs(config, athena);
  const sourceOf = { client: "cloudsmith-download", audit: "cloudsmith-audit", cloudtrail: "codeartifact" } as const;
  try {
    const answer = await runAthena(mod, client, {
      sql: bound.sql,
      values: bound.values,
      workgroup: athena.workgroup,
      database: athena.database,
      deadlineMs: q.deadlineMs,
    });
    const rows = answer.rows.map(fromFlat);
    process.stderr.write(
      `Athena query ${answer.executionId} scanned ${(answer.bytesScanned / 2 ** 20).toFixed(1)} MiB\n`,
    );
    return {
      rows,
      sources: tables.map((t) => ({
        source: sourceOf[t.source],
        location: `${athena.database}.${t.name} (${t.location})`,
        objects: 0,
        fromCache: 0,
        rows: rows.filter((r) => r.source === sourceOf[t.source]).length,
        malformed: [],
      })),
    };
  } catch (e) {
    const { describeError } = await import("../../aws/describe-error.js");
    const message = e instanceof AthenaQueryFailed ? e.message : describeError(e);
    // One query reads every source: when it fails, no source answered.
    return {
      rows: [],
      sources: tables.map((t) => ({
        source: sourceOf[t.source],
        location: `${athena.database}.${t.name} (${t.location})`,
        objects: 0,
        fromCache: 0,
        rows: 0,
        malformed: [],
        error: message,
      })),
    };
  }
}

/** For a download logged without its package (CSV, Apache): the version must appear in the URI too. */
function versionInUri(uri: string, spec: ReturnType<typeof parsePackageSpec>): boolean {
  const v = spec.version;
  if (!v) return true;
  if (v.kind === "exact") return uri.includes(v.value);
  // A glob or range cannot be judged from a URI alone: such rows are left out, never guessed.
  return false;
}

/** What each source read, on stderr: objects, rows, malformed lines, and any source that failed. */
function reportSources(sources: readonly SourceReport[]): void {
  for (const s of sources) {
    if (s.error)
      process.stderr.write(`error: ${s.source} (${printable(s.location, 120)}): ${printable(s.error, 400)}\n`);
    else if (s.malformed.length > 0)
      process.stderr.write(
        `warning: ${s.source}: ${s.malformed.length} line(s) could not be read, first ${printable(s.malformed[0]!.key, 120)} line ${s.malformed[0]!.line}: ${printable(s.malformed[0]!.message, 120)}\n`,
      );
  }
}

/**
 * Validates the trail's digests over the window (as `verify --integrity` does) and marks each
 * CodeArtifact row: `verified` (its file matches a digest whose signature and chain hold),
 * `failed` (its file was changed, or is not one CloudTrail wrote), `not-covered` (no valid digest
 * lists it: validation was off, the digest is missing, or the file is newer than the last digest).
 * When validation itself cannot run, the rows stay `unchecked` and stderr says why.
 */
async function markIntegrity(
  clients: Awaited<ReturnType<typeof import("../../aws/clients.js").createClients>>,
  trail: Awaited<ReturnType<typeof import("../../checks/trail-location.js").resolveTrail>>,
  rows: Row[],
  win: { from: Date; to: Date },
): Promise<void> {
  const { validateLogs, cloudTrailKeySource } = await import("../../cloudtrail/validate/validate-logs.js");
  try {
    const report = await validateLogs(clients, trail.location, {
      since: new Date(win.from.getTime() - 3_600_000),
      until: win.to,
      keySource: cloudTrailKeySource(clients),
      keepVerifiedKeys: true,
      ...(trail.validationOn !== undefined ? { validationOn: trail.validationOn } : {}),
    });
    const verified = new Set(report.logFiles.verifiedKeys ?? []);
    const failed = new Set([
      ...report.logFiles.modified,
      ...report.logFiles.unreadable.map((u) => u.replace(/ \(.*$/, "")),
    ]);
    for (const r of rows)
      if (r.source === "codeartifact")
        r.integrity = verified.has(r.object.key) ? "verified" : failed.has(r.object.key) ? "failed" : "not-covered";
  } catch (e) {
    process.stderr.write(
      `warning: CloudTrail digests could not be validated, so CodeArtifact rows are "unchecked": ${printable((e as Error).message, 300)}\n`,
    );
  }
}
