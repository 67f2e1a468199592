/**
 * One SDK client per service, shared by every read of a run, with the
 * standard credential chain (or --profile), adaptive retries, and one
 * --endpoint-url for every service (an emulator). The SDK modules are
 * imported here, lazily, so nothing else in the CLI pays for them.
 */
import type { Config } from "../config/schema.js";
import { cjs } from "../util/cjs.js";
import { debug } from "../util/debug.js";
import { BoundedHttpHandler, DEFAULT_BOUNDS } from "./bounded-handler.js";
import { OPERATIONS } from "./operations.js";

/**
 * What every client gets, in one middleware: each call timed under --debug (service, operation,
 * status, attempts; never a parameter), and a failed call's error tagged with the operation and
 * the IAM permission it needs, for describeError.
 */
function prepared<C>(client: C): C {
  (client as unknown as Instrumentable).middlewareStack.add(
    (next, context) => async (args) => {
      const op = `${(context.clientName ?? "").replace(/Client$/, "")}.${(context.commandName ?? "").replace(/Command$/, "")}`;
      const start = performance.now();
      const took = () => Math.round(performance.now() - start);
      try {
        const result = await next(args);
        const meta = result.output?.$metadata;
        debug(`aws ${op} ${meta?.httpStatusCode ?? "-"} in ${took()} ms (attempts ${meta?.attempts ?? 1})`);
        return result;
      } catch (e) {
        const err = (e ?? {}) as SdkError;
        debug(
          `aws ${op} failed ${err.name ?? "Error"} ${err.$metadata?.httpStatusCode ?? "-"} in ${took()} ms (attempts ${err.$metadata?.attempts ?? 1})`,
        );
        if (typeof e === "object" && e !== null) {
          err.$operation ??= op;
          err.$permission ??= OPERATIONS[op]?.join(" and ");
        }
        throw e;
      }
    },
    { step: "initialize", name: "clePrepared", override: true },
  );
  return client;
}

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $operation?: string;
  $permission?: string;
}

/** What a middleware stack needs to offer: the AWS SDK v3 client's, reduced to the one call used here. */
interface Instrumentable {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<{ output?: { $metadata?: { httpStatusCode?: number; attempts?: number } } }>,
        context: { clientName?: string; commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: "initialize"; name: string; override?: boolean },
    ): void;
  };
}

export interface AwsOptions {
  profile?: string;
  region?: string;
  /** One URL for every service, e.g. a local emulator. */
  endpointUrl?: string;
  /** Credentials to use instead of the chain (e.g. from an assumed role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** A read that does not answer within this is retried, then an error. @default 30000 */
  requestTimeoutMs?: number;
  /** @default 5000 */
  connectTimeoutMs?: number;
}

/**
 * The settings every SDK client of a run shares: region, the credential chain or given
 * credentials, one endpoint, adaptive retries, and a handler of its own (clients are destroyed
 * one by one) that bounds every attempt's time and answer size.
 */
export async function clientConfig(region: string, aws: AwsOptions) {
  const requestTimeout = aws.requestTimeoutMs ?? 30_000;
  return {
    region,
    profile: aws.profile,
    endpoint: aws.endpointUrl,
    credentials: aws.credentials,
    retryMode: "adaptive",
    // The AWS CLI's default: an endpoint that never answers costs three deadlines, not five.
    maxAttempts: 3,
    // Each command's middleware is resolved once, not on every call: thousands of GetObjects in
    // `investigate` spent a fifth of their time rebuilding it. Safe here: the one middleware this
    // tool adds (prepared) is added when the client is made, before its first call.
    cacheMiddleware: true,
    requestHandler: await BoundedHttpHandler.create(
      { connectionTimeout: aws.connectTimeoutMs ?? 5_000, requestTimeout },
      { ...DEFAULT_BOUNDS, deadlineMs: requestTimeout },
    ),
  };
}

export async function createClients(cfg: Config, aws: AwsOptions) {
  const [stsmod, iammod, s3mod, ctmod] = (
    await Promise.all([
      import("@aws-sdk/client-sts"),
      import("@aws-sdk/client-iam"),
      import("@aws-sdk/client-s3"),
      import("@aws-sdk/client-cloudtrail"),
    ])
  ).map(cjs) as unknown as [
    typeof import("@aws-sdk/client-sts"),
    typeof import("@aws-sdk/client-iam"),
    typeof import("@aws-sdk/client-s3"),
    typeof import("@aws-sdk/client-cloudtrail"),
  ];
  const base = () => clientConfig(aws.region ?? cfg.region, aws);
  const sts = prepared(new stsmod.STSClient(await base()));
  const iam = prepared(new iammod.IAMClient(await base()));
  const s3 = prepared(
    new s3mod.S3Client({
      ...(await base()),
      forcePathStyle: aws.endpointUrl !== undefined,
      followRegionRedirects: true,
    }),
  );
  const cloudtrail = prepared(new ctmod.CloudTrailClient(await base()));
  let kmsClient: import("@aws-sdk/client-kms").KMSClient | undefined;
  let kmsmod: typeof import("@aws-sdk/client-kms") | undefined;
  if (cfg.encryption.type === "SSE-KMS") {
    kmsmod = cjs(await import("@aws-sdk/client-kms"));
    kmsClient = prepared(new kmsmod.KMSClient(await base()));
  }
  let analyzerClient: import("@aws-sdk/client-accessanalyzer").AccessAnalyzerClient | undefined;
  let glueClient: import("@aws-sdk/client-glue").GlueClient | undefined;
  let athenaClient: import("@aws-sdk/client-athena").AthenaClient | undefined;
  let sqsClient: import("@aws-sdk/client-sqs").SQSClient | undefined;
  return {
    stsmod,
    iammod,
    s3mod,
    ctmod,
    kmsmod,
    sts,
    iam,
    s3,
    cloudtrail,
    kms: () => kmsClient!,
    async analyzer() {
      const mod = cjs(await import("@aws-sdk/client-accessanalyzer"));
      analyzerClient ??= prepared(new mod.AccessAnalyzerClient(await base()));
      return { mod, client: analyzerClient };
    },
    /** The query layer's services, loaded only by the commands that read it. */
    async glue() {
      const mod = cjs(await import("@aws-sdk/client-glue"));
      glueClient ??= prepared(new mod.GlueClient(await base()));
      return { mod, client: glueClient };
    },
    async athena() {
      const mod = cjs(await import("@aws-sdk/client-athena"));
      athenaClient ??= prepared(new mod.AthenaClient(await base()));
      return { mod, client: athenaClient };
    },
    /** The SIEM hand-off's queues, loaded only by verify --siem. */
    async sqs() {
      const mod = cjs(await import("@aws-sdk/client-sqs"));
      sqsClient ??= prepared(new mod.SQSClient(await base()));
      return { mod, client: sqsClient };
    },
    /** KMS whatever the export's encryption (the SIEM queues' key). */
    async kmsAny() {
      kmsmod ??= cjs(await import("@aws-sdk/client-kms"));
      kmsClient ??= prepared(new kmsmod.KMSClient(await base()));
      return { mod: kmsmod, client: kmsClient };
    },
    destroy() {
      for (const c of [sts, iam, s3, cloudtrail, kmsClient, analyzerClient, glueClient, athenaClient, sqsClient])
        c?.destroy();
    },
  };
}

export type Clients = Awaited<ReturnType<typeof createClients>>;

/** Raised when no credentials can be found, or the named profile does not exist: the user's setup, not a check. */
export class CredentialsMissing extends Error {}

/**
 * Who the credentials are, asked once before a run: no credentials, or an unknown profile, is one
 * clear line (CredentialsMissing) instead of the same error on every read. Any other failure
 * (the network, an endpoint) returns undefined: the reads then report it, each as an ERROR.
 */
export async function preflightIdentity(
  region: string,
  aws: AwsOptions,
): Promise<{ account: string; arn: string } | undefined> {
  const { STSClient, GetCallerIdentityCommand } = cjs(await import("@aws-sdk/client-sts"));
  const sts = prepared(new STSClient({ ...(await clientConfig(region, aws)), maxAttempts: 2 }));
  try {
    const res = await sts.send(new GetCallerIdentityCommand({}));
    return res.Account ? { account: res.Account, arn: res.Arn ?? "" } : undefined;
  } catch (e) {
    const err = e as { name?: string; message?: string };
    if (
      err.name === "CredentialsProviderError" ||
      /could not load credentials|could not be found or parsed/i.test(err.message ?? "")
    ) {
      const profile = aws.profile ?? process.env.AWS_PROFILE;
      if (profile && !(await profileExists(profile)))
        throw new CredentialsMissing(
          `AWS profile '${profile}' was not found in ~/.aws/config or ~/.aws/credentials (from ${aws.profile ? "--profile" : "AWS_PROFILE"})`,
        );
      throw new CredentialsMissing(
        profile
          ? `AWS profile '${profile}' gives no credentials: sign in (aws sso login --profile ${profile}) or fix the profile`
          : "no AWS credentials: looked in the environment (AWS_ACCESS_KEY_ID), AWS_PROFILE or --profile, ~/.aws, SSO and the instance or container role; pass --profile, or check a plan with --static",
      );
    }
    return undefined;
  } finally {
    sts.destroy();
  }
}

/** Whether a profile is named in the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE honoured). */
async function profileExists(profile: string): Promise<boolean> {
  const { readFile } = await import("node:fs/promises");
  const { homedir } = await import("node:os");
  const { join } = await import("node:path");
  const files = [
    [process.env.AWS_CONFIG_FILE ?? join(homedir(), ".aws", "config"), `[profile ${profile}]`],
    [process.env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), ".aws", "credentials"), `[${profile}]`],
  ] as const;
  for (const [file, header] of files) {
    const text = await readFile(file, "utf8").catch(() => "");
    const headers = text.split(/\r?\n/).map((l) => l.trim().replace(/\s+/g, " "));
    if (headers.includes(header) || (profile === "default" && headers.includes("[default]"))) return true;
  }
  return false;
}

/**
 * Assumes a role: its temporary credentials, and who they are as STS's answer names them (the
 * assumed-role ARN carries the account), so the run need not ask GetCallerIdentity again.
 */
export async function assumeRole(
  RoleArn: string,
  region: string,
  aws: AwsOptions,
): Promise<{
  credentials: NonNullable<AwsOptions["credentials"]>;
  identity?: { account: string; arn: string };
}> {
  const { STSClient, AssumeRoleCommand } = cjs(await import("@aws-sdk/client-sts"));
  const sts = prepared(new STSClient(await clientConfig(region, aws)));
  try {
    const res = await sts.send(
      new AssumeRoleCommand({ RoleArn, RoleSessionName: "cloudsmith-log-export-verify", DurationSeconds: 900 }),
    );
    const c = res.Credentials!;
    const arn = res.AssumedRoleUser?.Arn;
    const account = arn ? /^arn:[^:]+:sts::(\d{12}):assumed-role\//.exec(arn)?.[1] : undefined;
    return {
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken },
      ...(arn && account ? { identity: { account, arn } } : {}),
    };
  } catch (e) {
    throw new Error(`could not assume ${RoleArn}: ${(e as Error).name}: ${(e as Error).message}`);
  } finally {
    sts.destroy();
  }
}
