/** The query pack's facts: the Athena query layer as Glue, Athena and S3 hold it (`verify --query-layer`). */
import type { LogType } from "../../config/schema.js";
import type { Fact } from "../../engine/fact.js";
import type { Rule } from "../../engine/rule.js";
import type { PolicyDocument } from "../../iam/policies/types.js";
import type { GlueColumn, TableSpec } from "../../query/tables.js";
import type { PackFacts } from "../pack.js";

export interface GlueTableView {
  location?: string;
  inputFormat?: string;
  outputFormat?: string;
  serde?: string;
  serdeParameters: Record<string, string>;
  parameters: Record<string, string>;
  columns: GlueColumn[];
  partitionKeys: GlueColumn[];
}

export interface WorkgroupView {
  state?: string;
  enforce: boolean;
  outputLocation?: string;
  /** SSE_S3, SSE_KMS or CSE_KMS; undefined when results are not encrypted. */
  encryption?: string;
  kmsKey?: string;
  bytesScannedCutoff?: number;
  expectedBucketOwner?: string;
}

/** The results bucket's protections (absent `exists`: no bucket). */
export interface ResultsBucketFacts {
  name: string;
  exists: Fact<true>;
  publicAccessBlock: Fact<
    Record<"BlockPublicAcls" | "IgnorePublicAcls" | "BlockPublicPolicy" | "RestrictPublicBuckets", boolean>
  >;
  encryption: Fact<string>;
  policy: Fact<PolicyDocument>;
}

export interface QueryFacts {
  now: string;
  database: Fact<{ name: string }>;
  /** Each table the config needs, with what Glue holds under its name. */
  tables: Array<{ spec: TableSpec; table: Fact<GlueTableView> }>;
  workgroup: Fact<WorkgroupView>;
  results: ResultsBucketFacts;
  /** Whether the caller can list where each table reads (Athena reads as the caller): one key is enough. */
  readable: Array<{ spec: TableSpec; listing: Fact<{ objects: number }> }>;
  /** CSV exports only: the newest export's header line under each prefix (absent: no export yet). */
  csvHeaders: Array<{ logType: LogType; spec: TableSpec; header: Fact<{ key: string; columns: string[] }> }>;
}

export interface QueryView extends PackFacts {
  query?: Fact<QueryFacts>;
}

export type QueryRule = Rule<QueryView>;
