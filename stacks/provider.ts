import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { Config } from "../src/config/schema.js";

/** @cdktf/provider-aws 21.x pins ~> 6.0; the generated config works on 5.100 too. */
export const AWS_PROVIDER_CONSTRAINT = ">= 5.100, < 7";
export const REQUIRED_TERRAFORM = ">= 1.5";

/** The AWS provider (bound to the configured account and region) and the state backend. */
export function configureProvider(stack: TerraformStack, cfg: Config): void {
  new AwsProvider(stack, "aws", {
    region: cfg.region,
    // Refuse to apply with credentials for any other account.
    allowedAccountIds: [cfg.accountId],
    defaultTags: Object.keys(cfg.tags).length > 0 ? [{ tags: { ...cfg.tags } }] : undefined,
  });
  stack.addOverride("terraform.required_providers.aws", { source: "hashicorp/aws", version: AWS_PROVIDER_CONSTRAINT });
  stack.addOverride("terraform.required_version", REQUIRED_TERRAFORM);

  const backend = cfg.backend;
  if (backend.type === "s3") {
    new S3Backend(stack, {
      bucket: backend.bucket,
      key: backend.key,
      region: backend.region,
      encrypt: true,
      dynamodbTable: backend.dynamodbTable,
    });
    // cdktf 0.21 predates S3-native locking; Terraform >= 1.10 reads `use_lockfile`.
    if (backend.useLockfile) {
      stack.addOverride("terraform.backend.s3.use_lockfile", true);
      stack.addOverride("terraform.required_version", ">= 1.10");
    }
  } else {
    // Relative to the stack directory Terraform runs in; cdktf's default is an absolute path, which is not portable.
    new LocalBackend(stack, { path: "terraform.tfstate" });
  }
}
