/**
 * One row per request, whatever the source: the shape `investigate` prints (its JSON schema is in
 * docs/commands/investigate.md). Each source's record is normalised here, keeping where it came
 * from (the S3 key and line, or the event id) so every answer can be traced back to its file.
 */
import type { LogRecord } from "../cloudsmith-logs/parse.js";
import { canonicalFormat } from "./package-spec.js";

export type Source = "cloudsmith-download" | "codeartifact" | "cloudsmith-audit";

export interface Row {
  source: Source;
  /** UTC, RFC 3339. */
  time: string;
  package: { format: string | null; name: string | null; version: string | null };
  repository: string | null;
  /** A Cloudsmith user or token, or an IAM principal's ARN. */
  principal: string | null;
  ip: string | null;
  userAgent: string | null;
  /** An HTTP status (downloads), or the event's outcome (`OK`, an error code). */
  status: string | null;
  requestId: string | null;
  /** What the request did: download, publish, or the audit event's name. */
  action: string;
  /** For a download whose log names no package (CSV, Apache): the URI it was matched by. */
  uri: string | null;
  object: { bucket: string; key: string; line?: number; eventId?: string };
  /** CloudTrail files only: whether the digest chain validated the file. */
  integrity: "verified" | "not-covered" | "failed" | "unchecked" | null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" && v !== "-" ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" ? (v as Record<string, unknown>) : {});

/**
 * `30/May/2024:15:15:16 +0000` (Apache) or any RFC 3339 time, as UTC RFC 3339 to the second
 * (`2024-05-30T15:15:16Z`, as Athena's date_format gives it); null when neither. One fixed width,
 * so the times and the window compare as text in both engines.
 */
export function utcTime(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const apache = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{2})(\d{2})$/.exec(value);
  const text = apache
    ? `${apache[3]}-${String("JanFebMarAprMayJunJulAugSepOctNovDec".indexOf(apache[2]!) / 3 + 1).padStart(2, "0")}-${apache[1]}T${apache[4]}:${apache[5]}:${apache[6]}${apache[7]}:${apache[8]}`
    : value;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A Cloudsmith client-log (download) record, in any of the four export formats. */
export function downloadRow(r: LogRecord, where: { bucket: string; key: string; line: number }): Row | undefined {
  const time = utcTime(r.datetime) ?? utcTime(r._timestamp);
  if (!time) return undefined;
  const pkg = obj(r.package);
  const user = obj(r.user);
  const agent = r.user_agent;
  const username = str(user.username) ?? (typeof r.user === "string" ? str(r.user) : null);
  const token = str(r.token);
  return {
    source: "cloudsmith-download",
    time,
    package: {
      format: str(r.format) ? (canonicalFormat(String(r.format)) ?? String(r.format).toLowerCase()) : null,
      name: str(pkg.name),
      version: str(pkg.version),
    },
    repository: str(r.repository),
    principal: username ? `user:${username}` : token ? `token:${token}` : null,
    ip: str(r.ip_address),
    userAgent: typeof agent === "string" ? str(agent) : str(obj(agent).raw),
    status: r.status === undefined || r.status === null ? null : String(r.status),
    requestId: str(r.request_id),
    action: "download",
    uri: str(r.uri),
    object: where,
    integrity: null,
  };
}

/** A Cloudsmith audit-log record: package and token events. */
export function auditRow(r: LogRecord, where: { bucket: string; key: string; line: number }): Row | undefined {
  const time = utcTime(r.event_at);
  if (!time) return undefined;
  return {
    source: "cloudsmith-audit",
    time,
    package: { format: null, name: str(r.object), version: null },
    repository: str(r.context) === "Repository" ? str(r.object) : null,
    principal: str(r.actor) ? `${str(r.actor_kind) ?? "user"}:${str(r.actor)}` : null,
    ip: str(r.actor_ip_address),
    userAgent: null,
    status: null,
    requestId: str(r.uuid),
    action: str(r.event) ?? "event",
    uri: null,
    object: { ...where, ...(str(r.uuid) ? { eventId: String(r.uuid) } : {}) },
    integrity: null,
  };
}

/** CodeArtifact's package-manager requests and publishes, as CloudTrail records them. */
const CODEARTIFACT_ACTIONS: Record<string, string> = {
  ReadFromRepository: "download",
  GetPackageVersionAsset: "download",
  PublishPackageVersion: "publish",
  PublishToRepository: "publish",
};

export function codeArtifactRow(r: Record<string, unknown>, where: { bucket: string; key: string }): Row | undefined {
  if (r.eventSource !== "codeartifact.amazonaws.com") return undefined;
  const action = CODEARTIFACT_ACTIONS[String(r.eventName)];
  if (!action) return undefined;
  const time = utcTime(r.eventTime);
  if (!time) return undefined;
  const p = obj(r.requestParameters);
  const format = str(p.packageFormat) ?? str(p.format);
  const ns = str(p.packageNamespace) ?? str(p.namespace);
  const name = str(p.packageName) ?? str(p.package);
  const canonical = format ? (canonicalFormat(format) ?? format.toLowerCase()) : null;
  // npm scopes and Maven groups are CodeArtifact namespaces.
  const fullName =
    name && ns
      ? canonical === "npm"
        ? `@${ns.replace(/^@/, "")}/${name}`
        : canonical === "maven"
          ? `${ns}:${name}`
          : `${ns}/${name}`
      : name;
  const identity = obj(r.userIdentity);
  const error = str(r.errorCode);
  return {
    source: "codeartifact",
    time,
    package: { format: canonical, name: fullName, version: str(p.packageVersion) ?? str(p.version) },
    repository:
      (str(p.repositoryName) ?? str(p.repository))
        ? `${str(p.domainName) ?? str(p.domain) ?? "?"}/${str(p.repositoryName) ?? str(p.repository)}`
        : null,
    principal: str(identity.arn) ?? str(obj(obj(identity.sessionContext).sessionIssuer).arn),
    ip: str(r.sourceIPAddress),
    userAgent: str(r.userAgent),
    status: error ?? "OK",
    requestId: str(r.requestID),
    action,
    uri: null,
    object: { ...where, ...(str(r.eventID) ? { eventId: String(r.eventID) } : {}) },
    // Not yet checked against the digest chain (verify --integrity does that): never claimed.
    integrity: "unchecked",
  };
}

/** A row as the SQL sees it: flat columns (both engines return these). */
export type FlatRow = Record<import("./sql.js").RowColumn, string | number | null>;

export function flatRow(r: Row): FlatRow {
  return {
    source: r.source,
    time: r.time,
    package_format: r.package.format,
    package_name: r.package.name,
    package_version: r.package.version,
    repository: r.repository,
    principal: r.principal,
    ip: r.ip,
    user_agent: r.userAgent,
    status: r.status,
    request_id: r.requestId,
    action: r.action,
    uri: r.uri,
    object_bucket: r.object.bucket,
    object_key: r.object.key,
    object_line: r.object.line ?? null,
    object_event_id: r.object.eventId ?? null,
    integrity: r.integrity,
  };
}

const text = (v: unknown): string | null => (v === null || v === undefined || v === "" ? null : String(v));
const SOURCES: readonly Source[] = ["cloudsmith-download", "codeartifact", "cloudsmith-audit"];
const INTEGRITY = ["verified", "not-covered", "failed", "unchecked"] as const;

/** A flat row from either engine back into the row shape; a value outside the schema is refused. */
export function fromFlat(v: Record<string, unknown>): Row {
  const source = String(v.source) as Source;
  if (!SOURCES.includes(source)) throw new Error(`the query returned a row of unknown source ${String(v.source)}`);
  const integrity = text(v.integrity);
  if (integrity !== null && !(INTEGRITY as readonly string[]).includes(integrity))
    throw new Error(`the query returned an unknown integrity ${integrity}`);
  const line = text(v.object_line);
  const eventId = text(v.object_event_id);
  return {
    source,
    time: String(v.time),
    package: { format: text(v.package_format), name: text(v.package_name), version: text(v.package_version) },
    repository: text(v.repository),
    principal: text(v.principal),
    ip: text(v.ip),
    userAgent: text(v.user_agent),
    status: text(v.status),
    requestId: text(v.request_id),
    action: String(v.action),
    uri: text(v.uri),
    object: {
      bucket: String(v.object_bucket),
      key: String(v.object_key),
      ...(line !== null ? { line: Number(line) } : {}),
      ...(eventId !== null ? { eventId } : {}),
    },
    integrity: integrity as Row["integrity"],
  };
}
