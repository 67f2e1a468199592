/**
 * The Athena query layer's tables, as data: synth turns them into Glue resources and the query
 * pack compares what Glue holds against them, so "what the table should be" is written once.
 *
 * Cloudsmith's JSON formats are read a line at a time as text (RegexSerDe) and the fields are
 * pulled with json_extract_scalar: a malformed line then yields NULLs instead of failing the
 * query, names match case-exactly (the openx SerDe's lower-casing never bites), and a field
 * that is a string in one record and an object in another still reads. CloudTrail follows the
 * table AWS documents ("Create the table for CloudTrail logs in Athena using partition
 * projection"), projected over account, region and day so no crawler or MSCK REPAIR is needed.
 */

import { derivedBucket, exportTargets, keyPrefix, trailBucketName } from "../config/derived.js";
import type { AthenaConfig } from "../config/query-schema.js";
import { partitionOf } from "../config/rules.js";
import type { Config, ExportFormat } from "../config/schema.js";

export interface GlueColumn {
  name: string;
  type: string;
}

export type TableSource = "client" | "audit" | "cloudtrail";

export interface TableSpec {
  name: string;
  source: TableSource;
  /** s3://bucket/prefix/ */
  location: string;
  columns: GlueColumn[];
  partitionKeys: GlueColumn[];
  inputFormat: string;
  outputFormat: string;
  serde: { library: string; parameters: Record<string, string> };
  /** Table properties: projection, header skipping. */
  parameters: Record<string, string>;
}

export const TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";
export const TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
export const REGEX_SERDE = "org.apache.hadoop.hive.serde2.RegexSerDe";
export const CSV_SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde";
export const JSON_SERDE = "org.apache.hive.hcatalog.data.JsonSerDe";
export const CLOUDTRAIL_INPUT = "com.amazon.emr.cloudtrail.CloudTrailInputFormat";

/** JSON Stream: the whole line (an object) as one column. */
export const JSON_LINE_REGEX = "^\\s*(\\{.*\\})\\s*$";
/** JSON Stream + Timestamp: the timestamp, one space or tab, then the object. */
export const TIMESTAMPED_LINE_REGEX = "^(\\S+)[ \\t](\\{.*\\})\\s*$";
/** Apache style, as Cloudsmith writes it (the same expression the local parser uses). */
export const APACHE_LINE_REGEX =
  '^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] "(\\S+) (.*?) ?" (\\d{3}) (\\d+|-) (\\S+) "((?:[^"\\\\]|\\\\.)*)" eula:(\\S*)$';

/** The client-log CSV header in the order of the vendor's sample; verify compares the newest export. */
export const CLIENT_CSV_COLUMNS = [
  "datetime",
  "repository",
  "status",
  "method",
  "uri",
  "host",
  "ip_address",
  "bytes",
  "city",
  "country",
  "edge",
  "eula",
  "format",
  "package",
  "recorded",
  "referer",
  "request_id",
  "token",
  "user",
  "user_agent",
];

/** The audit-log CSV header, in the order of the API's records. */
export const AUDIT_CSV_COLUMNS = [
  "actor",
  "actor_ip_address",
  "actor_kind",
  "actor_location",
  "actor_slug_perm",
  "actor_url",
  "context",
  "event",
  "event_at",
  "object",
  "object_kind",
  "object_slug_perm",
  "target",
  "target_kind",
  "uuid",
];

const APACHE_COLUMNS = [
  "ip_address",
  "ident",
  "token",
  "datetime",
  "method",
  "uri",
  "status",
  "bytes",
  "referer",
  "user_agent",
  "eula",
];

const strings = (names: readonly string[]): GlueColumn[] => names.map((name) => ({ name, type: "string" }));

/** The CloudTrail record columns of AWS's documented table. */
export const CLOUDTRAIL_COLUMNS: GlueColumn[] = [
  { name: "eventversion", type: "string" },
  {
    name: "useridentity",
    type: "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,onbehalfof:struct<userid:string,identitystorearn:string>,sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>",
  },
  ...strings([
    "eventtime",
    "eventsource",
    "eventname",
    "awsregion",
    "sourceipaddress",
    "useragent",
    "errorcode",
    "errormessage",
    "requestparameters",
    "responseelements",
    "additionaleventdata",
    "requestid",
    "eventid",
    "readonly",
  ]),
  { name: "resources", type: "array<struct<arn:string,accountid:string,type:string>>" },
  ...strings([
    "eventtype",
    "apiversion",
    "recipientaccountid",
    "serviceeventdetails",
    "sharedeventid",
    "vpcendpointid",
    "vpcendpointaccountid",
    "eventcategory",
  ]),
  { name: "tlsdetails", type: "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>" },
];

/** Regions a multi-region trail writes folders for, per partition (the projection's enum). */
const REGIONS: Record<string, string[]> = {
  aws: [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
  ],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
  "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
};

export const TABLE_NAMES: Record<TableSource, string> = {
  client: "client_logs",
  audit: "audit_logs",
  cloudtrail: "cloudtrail_logs",
};

export function resultsBucket(cfg: Config, athena: AthenaConfig): string {
  return athena.resultsBucket ?? derivedBucket(cfg.bucket.name, "-athena-results");
}

export const resultsLocation = (cfg: Config, athena: AthenaConfig): string =>
  `s3://${resultsBucket(cfg, athena)}/${athena.resultsPrefix}/`;

/** Where the trail's files are, for the table: ours, or the existing trail's as the config says. */
export function trailStorage(
  cfg: Config,
  athena: AthenaConfig,
): { bucket: string; prefix: string; organizationId?: string } | undefined {
  if (cfg.cloudtrail.mode === "none") return undefined;
  if (cfg.cloudtrail.mode === "create") return { bucket: trailBucketName(cfg), prefix: cfg.cloudtrail.prefix };
  return {
    bucket: athena.trailBucket ?? "",
    prefix: (athena.trailPrefix ?? "").replace(/\/$/, ""),
    ...(cfg.cloudtrail.organizationId ? { organizationId: cfg.cloudtrail.organizationId } : {}),
  };
}

function lineTable(
  name: string,
  source: TableSource,
  location: string,
  format: ExportFormat,
  csvColumns: readonly string[],
): TableSpec | undefined {
  const base = { name, source, location, partitionKeys: [], inputFormat: TEXT_INPUT, outputFormat: TEXT_OUTPUT };
  switch (format) {
    case "json-stream":
      return {
        ...base,
        columns: strings(["record"]),
        serde: { library: REGEX_SERDE, parameters: { "input.regex": JSON_LINE_REGEX } },
        parameters: { classification: "regex" },
      };
    case "json-stream-timestamp":
      return {
        ...base,
        columns: strings(["ts", "record"]),
        serde: { library: REGEX_SERDE, parameters: { "input.regex": TIMESTAMPED_LINE_REGEX } },
        parameters: { classification: "regex" },
      };
    case "csv":
      return {
        ...base,
        columns: strings(csvColumns),
        serde: {
          library: CSV_SERDE,
          parameters: { separatorChar: ",", quoteChar: '"', escapeChar: "\\" },
        },
        parameters: { classification: "csv", "skip.header.line.count": "1" },
      };
    case "apache":
      // Apache-style lines carry downloads only: the audit log has no table in this format.
      if (source === "audit") return undefined;
      return {
        ...base,
        columns: strings(APACHE_COLUMNS),
        serde: { library: REGEX_SERDE, parameters: { "input.regex": APACHE_LINE_REGEX } },
        parameters: { classification: "regex" },
      };
  }
}

/** Every table the config's sources need, in a stable order. */
export function tableSpecs(cfg: Config, athena: AthenaConfig): TableSpec[] {
  const out: TableSpec[] = [];
  for (const t of exportTargets(cfg)) {
    const location = `s3://${cfg.bucket.name}/${keyPrefix(t.prefix)}`;
    const spec = lineTable(
      TABLE_NAMES[t.logType],
      t.logType,
      location,
      cfg.format,
      t.logType === "client" ? CLIENT_CSV_COLUMNS : AUDIT_CSV_COLUMNS,
    );
    if (spec) out.push(spec);
  }
  const trail = trailStorage(cfg, athena);
  if (trail) {
    const root = `s3://${trail.bucket}/${keyPrefix(trail.prefix)}AWSLogs/${trail.organizationId ? `${trail.organizationId}/` : ""}`;
    const accounts = [...new Set([cfg.accountId, ...athena.accounts])].sort();
    const regions = [...new Set([...(REGIONS[partitionOf(cfg.region) ?? "aws"] ?? []), cfg.region])].sort();
    out.push({
      name: TABLE_NAMES.cloudtrail,
      source: "cloudtrail",
      location: root,
      columns: CLOUDTRAIL_COLUMNS,
      partitionKeys: strings(["account", "region", "day"]),
      inputFormat: CLOUDTRAIL_INPUT,
      outputFormat: TEXT_OUTPUT,
      serde: { library: JSON_SERDE, parameters: {} },
      parameters: {
        classification: "cloudtrail",
        "projection.enabled": "true",
        "projection.account.type": "enum",
        "projection.account.values": accounts.join(","),
        "projection.region.type": "enum",
        "projection.region.values": regions.join(","),
        "projection.day.type": "date",
        "projection.day.format": "yyyy/MM/dd",
        "projection.day.interval": "1",
        "projection.day.interval.unit": "DAYS",
        "projection.day.range": `${athena.projectionStart},NOW`,
        "storage.location.template": `${root}\${account}/CloudTrail/\${region}/\${day}`,
      },
    });
  }
  return out;
}
