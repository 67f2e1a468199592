/** Config vocabulary and defaults, kept free of zod so the CLI entry (and --help) stays light. */
export const LOG_TYPES = ["client", "audit"] as const;
export type LogType = (typeof LOG_TYPES)[number];

export const FORMATS = ["json-stream", "json-stream-timestamp", "csv", "apache"] as const;
export type ExportFormat = (typeof FORMATS)[number];

/** What Cloudsmith can leave out of client-log records. */
export const EXCLUDABLE = ["eula", "geo", "ip", "namespace", "repository"] as const;
export type Excludable = (typeof EXCLUDABLE)[number];

export const DEFAULT_ROLE_NAME = "CloudsmithLogsWriter";
export const DEFAULT_TRAIL_NAME = "cloudsmith-log-export";
export const DEFAULT_TRAIL_PREFIX = "cloudtrail";
export const DEFAULT_PREFIXES: Record<LogType, string> = { client: "client-logs", audit: "audit-logs" };

export const DEFAULT_CONFIG_FILE = "cloudsmith-log-export.json";
