import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query/index.js";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup/index.js";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database/index.js";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table/index.js";
import { Construct } from "constructs";
import type { PolicyDocument } from "../../src/iam/policies/types.js";
import type { TableSpec } from "../../src/query/tables.js";
import { LogBucket } from "./log-bucket.js";

/** A literal for Terraform: `${` and `%{` would start an interpolation or a template directive. */
const literal = (s: string): string => s.replace(/([$%])\{/g, "$1$1{");
const literals = (o: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, literal(v)]));

export interface QueryLayerProps {
  readonly database: string;
  readonly tables: readonly TableSpec[];
  readonly workgroup: string;
  readonly resultsBucket: string;
  readonly resultsBucketPolicy: PolicyDocument;
  readonly resultsPrefix: string;
  readonly resultsExpireDays: number;
  readonly bytesScannedCutoff: number;
  readonly accountId: string;
  /** A customer key for the results (the exports' key); SSE-S3 otherwise. */
  readonly kmsKeyArn?: string;
  readonly namedQueries: ReadonlyArray<{ name: string; description: string; query: string }>;
}

/**
 * The Athena query layer: a Glue database with one table per source, a private results bucket
 * whose results expire, and a workgroup that enforces its settings (results location and
 * encryption, engine version 3, a bytes-scanned cutoff) so no query can write results elsewhere
 * or scan without limit.
 */
export class QueryLayer extends Construct {
  readonly workgroup: AthenaWorkgroup;
  readonly database: GlueCatalogDatabase;

  constructor(scope: Construct, id: string, props: QueryLayerProps) {
    super(scope, id);
    const results = new LogBucket(this, "results", {
      bucketName: props.resultsBucket,
      policy: props.resultsBucketPolicy,
      kmsKeyArn: props.kmsKeyArn,
      versioning: false,
      expiry: { days: props.resultsExpireDays, prefixes: { "athena-results": `${props.resultsPrefix}/` } },
    });
    this.database = new GlueCatalogDatabase(this, "database", {
      name: props.database,
      description: "Cloudsmith log exports and CloudTrail, for cloudsmith-log-export investigate",
    });
    for (const t of props.tables) {
      new GlueCatalogTable(this, t.name, {
        databaseName: this.database.name,
        name: t.name,
        tableType: "EXTERNAL_TABLE",
        parameters: literals({ EXTERNAL: "TRUE", ...t.parameters }),
        partitionKeys: t.partitionKeys.map((c) => ({ name: c.name, type: c.type })),
        storageDescriptor: {
          location: t.location,
          inputFormat: t.inputFormat,
          outputFormat: t.outputFormat,
          serDeInfo: { serializationLibrary: t.serde.library, parameters: literals(t.serde.parameters) },
          columns: t.columns.map((c) => ({ name: c.name, type: c.type })),
        },
      });
    }
    this.workgroup = new AthenaWorkgroup(this, "workgroup", {
      name: props.workgroup,
      description: "cloudsmith-log-export investigations: enforced results location, encryption and scan cutoff",
      state: "ENABLED",
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoff,
        engineVersion: { selectedEngineVersion: "Athena engine version 3" },
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucket}/${props.resultsPrefix}/`,
          expectedBucketOwner: props.accountId,
          encryptionConfiguration: props.kmsKeyArn
            ? { encryptionOption: "SSE_KMS", kmsKeyArn: props.kmsKeyArn }
            : { encryptionOption: "SSE_S3" },
        },
      },
      dependsOn: [results.policy],
    });
    for (const [i, q] of props.namedQueries.entries()) {
      new AthenaNamedQuery(this, `named_query_${i}`, {
        name: q.name,
        description: q.description,
        database: this.database.name,
        workgroup: this.workgroup.name,
        query: literal(q.query),
      });
    }
  }
}
