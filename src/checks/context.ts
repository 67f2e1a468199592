/** What the user asked `verify` to check, and what every pack's collector is given. */
import type { AwsOptions, Clients } from "../aws/clients.js";
import type { Config } from "../config/schema.js";
import type { TfSource } from "./config/collect/static/terraform.js";
import type { PublicKeySource } from "./integrity/digest.js";

export interface CheckOptions {
  aws: AwsOptions;
  /** Also check what arrived in the bucket. */
  delivery?: { maxAgeHours: number; now?: Date };
  /** Also validate CloudTrail digests and log files since this time. */
  integrity?: { since: Date; until?: Date; keySource?: PublicKeySource };
  /** Also check the Cloudsmith audit-log API for this organization. */
  cloudsmith?: { org: string; apiKey?: string; baseUrl?: string };
  /** A stack directory, cdk.tf.json or plan JSON: verify before deploy. */
  staticPath?: string;
}

export interface CollectContext {
  config: Config;
  options: CheckOptions;
  /** With --static: the Terraform resources read from `staticPath`. */
  terraform?: TfSource;
  /** Who the credentials are, when the run already asked STS (asked once, not once a pack). */
  identity?: { account: string; arn: string };
  /** The run's SDK clients, created on first use and shared by every pack. */
  clients(): Promise<Clients>;
  /** Progress for long steps (a terminal only). */
  progress(done: number, total: number, what: string): void;
}
