/** The delivery pack's facts: what actually arrived in the bucket (`verify --delivery`). */
import type { LogType } from "../../config/schema.js";
import type { Fact } from "../../engine/fact.js";
import type { Rule } from "../../engine/rule.js";
import type { PackFacts } from "../pack.js";

export interface ObjectInfo {
  key: string;
  lastModified: string;
  size: number;
}

export interface LogDelivery {
  logType: LogType;
  prefix: string;
  objectCount: number;
  /** More objects than were listed (the listing stops at MAX_LISTED). */
  truncated: boolean;
  newest?: ObjectInfo & { gzip: boolean };
  sample?: {
    objects: number;
    records: number;
    errors: Array<{ key: string; line: number; message: string }>;
    missingFields: string[];
    excludedSeen: string[];
  };
}

export interface CloudTrailDelivery {
  newest?: ObjectInfo;
  /** Where the log files were looked for: `s3://bucket/[prefix/]AWSLogs/[org/]account/CloudTrail/region/`. */
  location?: string;
  /** When the trail last started logging (GetTrailStatus), when known. */
  startedLogging?: string;
  filesRead: number;
  records: number;
  bySource: Record<string, number>;
  codeArtifact: { readOnly: number; write: number };
  /** S3 data events for writes under the export prefixes. */
  exportWrites: number;
}

export interface DeliveryFacts {
  now: string;
  maxAgeHours: number;
  /** When the writer role was created: an empty prefix is only a failure long after that. */
  roleCreated: Fact<string>;
  logs: Array<{ logType: LogType; prefix: string; fact: Fact<LogDelivery> }>;
  cloudTrail: Fact<CloudTrailDelivery>;
}

/** What delivery rules read: `delivery` is set whenever the pack ran (an error fact when it could not). */
export interface DeliveryView extends PackFacts {
  delivery?: Fact<DeliveryFacts>;
}

export type DeliveryRule = Rule<DeliveryView>;
