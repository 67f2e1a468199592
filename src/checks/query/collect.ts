/**
 * Reads the query layer: the Glue database and each table the config needs, the workgroup, the
 * results bucket, and for CSV exports the header of the newest export under each prefix (the
 * table maps columns by position, so the header's order decides what each column holds).
 */
import type { Clients } from "../../aws/clients.js";
import { attemptAws } from "../../aws/describe-error.js";
import { listObjects, readObject, s3Uri } from "../../aws/s3.js";
import { parseCsvLine } from "../../cloudsmith-logs/parse.js";
import type { AthenaConfig } from "../../config/query-schema.js";
import type { Config } from "../../config/schema.js";
import { type Fact, present } from "../../engine/fact.js";
import { parsePolicyText } from "../../iam/policies/validate.js";
import { resultsBucket, type TableSpec, tableSpecs } from "../../query/tables.js";
import type { GlueTableView, QueryFacts, ResultsBucketFacts, WorkgroupView } from "./facts.js";

/** One read: a fact, with the errors named in `absentOn` meaning "does not exist". */
const r = { read: <T>(call: () => Promise<T>, absentOn: string[] = []) => attemptAws(call, { absentOn }) };

/** The header is the first line: 64 KiB holds any real one. */
const HEADER_BYTES = 64 * 1024;
/** Objects listed to find the newest under a prefix. */
const MAX_LISTED = 10_000;

export async function collectQuery(c: Clients, cfg: Config, athena: AthenaConfig, now: Date): Promise<QueryFacts> {
  const glue = await c.glue();
  const ath = await c.athena();
  const specs = tableSpecs(cfg, athena);
  const notFound = ["EntityNotFoundException"];
  const database = r.read(async () => {
    const res = await glue.client.send(new glue.mod.GetDatabaseCommand({ Name: athena.database }));
    return { name: res.Database?.Name ?? athena.database };
  }, notFound);
  const tables = specs.map(async (spec) => ({
    spec,
    table: await r.read(async (): Promise<GlueTableView> => {
      const res = await glue.client.send(
        new glue.mod.GetTableCommand({ DatabaseName: athena.database, Name: spec.name }),
      );
      const t = res.Table;
      const sd = t?.StorageDescriptor;
      const cols = (xs: Array<{ Name?: string; Type?: string }> | undefined) =>
        (xs ?? []).map((x) => ({ name: x.Name ?? "", type: x.Type ?? "" }));
      return {
        location: sd?.Location,
        inputFormat: sd?.InputFormat,
        outputFormat: sd?.OutputFormat,
        serde: sd?.SerdeInfo?.SerializationLibrary,
        serdeParameters: sd?.SerdeInfo?.Parameters ?? {},
        parameters: t?.Parameters ?? {},
        columns: cols(sd?.Columns),
        partitionKeys: cols(t?.PartitionKeys),
      };
    }, notFound),
  }));
  const workgroup = r.read(async (): Promise<WorkgroupView> => {
    const res = await ath.client.send(new ath.mod.GetWorkGroupCommand({ WorkGroup: athena.workgroup }));
    const w = res.WorkGroup;
    const conf = w?.Configuration;
    return {
      state: w?.State,
      enforce: conf?.EnforceWorkGroupConfiguration === true,
      outputLocation: conf?.ResultConfiguration?.OutputLocation,
      encryption: conf?.ResultConfiguration?.EncryptionConfiguration?.EncryptionOption,
      kmsKey: conf?.ResultConfiguration?.EncryptionConfiguration?.KmsKey,
      bytesScannedCutoff: conf?.BytesScannedCutoffPerQuery,
      expectedBucketOwner: conf?.ResultConfiguration?.ExpectedBucketOwner,
    };
  }, ["InvalidRequestException", "ResourceNotFoundException"]);
  const results = collectResultsBucket(c, cfg, resultsBucket(cfg, athena));
  const readable = specs.map(async (spec) => {
    const { bucket, prefix } = locationOf(spec);
    const listing = await r.read(async () => {
      const res = await c.s3.send(new c.s3mod.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
      return { objects: res.KeyCount ?? res.Contents?.length ?? 0 };
    }, ["NoSuchBucket"]);
    return { spec, listing };
  });
  const csvHeaders =
    cfg.format === "csv"
      ? specs
          .filter((s): s is TableSpec & { source: "client" | "audit" } => s.source !== "cloudtrail")
          .map(async (spec) => ({ logType: spec.source, spec, header: await newestHeader(c, spec) }))
      : [];
  return {
    now: now.toISOString(),
    database: await database,
    tables: await Promise.all(tables),
    workgroup: await workgroup,
    results: await results,
    readable: await Promise.all(readable),
    csvHeaders: await Promise.all(csvHeaders),
  };
}

/** The header line of the newest object the table reads (absent: nothing exported yet). */
function locationOf(spec: TableSpec): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(spec.location);
  if (!m) throw new Error(`not an S3 location: ${spec.location}`);
  return { bucket: m[1]!, prefix: m[2]! };
}

async function newestHeader(c: Clients, spec: TableSpec): Promise<Fact<{ key: string; columns: string[] }>> {
  const { bucket, prefix } = locationOf(spec);
  const fact = await r.read(async () => {
    const { objects, truncated } = await listObjects(c, bucket, prefix, { max: MAX_LISTED });
    if (truncated)
      throw new Error(`more than ${MAX_LISTED} objects under ${s3Uri(bucket, prefix)}: the newest cannot be told`);
    const newest = [...objects].sort(
      (a, b) => b.lastModified.getTime() - a.lastModified.getTime() || b.key.localeCompare(a.key),
    )[0];
    if (!newest) return undefined;
    const obj = await readObject(c, bucket, newest.key, HEADER_BYTES, { head: true });
    if (!obj) throw new Error(`${s3Uri(bucket, newest.key)} was deleted while it was being read`);
    const first =
      obj.body
        .toString("utf8")
        .replace(/^\uFEFF/, "")
        .split(/\r?\n/, 1)[0] ?? "";
    return { key: newest.key, columns: parseCsvLine(first).map((h) => h.trim()) };
  });
  if (fact.state !== "present") return fact as Fact<{ key: string; columns: string[] }>;
  return fact.value === undefined
    ? { state: "absent", detail: `no export under ${s3Uri(bucket, prefix)} yet` }
    : present(fact.value);
}

/** What makes the results bucket private: its existence, Block Public Access, encryption and policy. */
async function collectResultsBucket(c: Clients, cfg: Config, Bucket: string): Promise<ResultsBucketFacts> {
  const owner = { Bucket, ExpectedBucketOwner: cfg.accountId };
  const gone = ["NoSuchBucket", "NotFound"];
  const [exists, publicAccessBlock, encryption, policy] = await Promise.all([
    r.read(async () => {
      await c.s3.send(new c.s3mod.HeadBucketCommand(owner));
      return true as const;
    }, gone),
    r.read(async () => {
      const p = (await c.s3.send(new c.s3mod.GetPublicAccessBlockCommand(owner))).PublicAccessBlockConfiguration ?? {};
      return {
        BlockPublicAcls: p.BlockPublicAcls === true,
        IgnorePublicAcls: p.IgnorePublicAcls === true,
        BlockPublicPolicy: p.BlockPublicPolicy === true,
        RestrictPublicBuckets: p.RestrictPublicBuckets === true,
      };
    }, ["NoSuchPublicAccessBlockConfiguration", ...gone]),
    r.read(async () => {
      const res = await c.s3.send(new c.s3mod.GetBucketEncryptionCommand(owner));
      const algorithm =
        res.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
      if (!algorithm) throw new Error("GetBucketEncryption returned no default encryption rule");
      return algorithm;
    }, ["ServerSideEncryptionConfigurationNotFoundError", ...gone]),
    r.read(
      async () =>
        parsePolicyText((await c.s3.send(new c.s3mod.GetBucketPolicyCommand(owner))).Policy ?? "", "the bucket policy"),
      ["NoSuchBucketPolicy", ...gone],
    ),
  ]);
  return { name: Bucket, exists, publicAccessBlock, encryption, policy };
}
