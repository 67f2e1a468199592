/** Config variants the stack and Terraform tests share. */

import { parseConfig } from "../../src/config/load.js";
import type { ConfigInput } from "../../src/config/schema.js";

export const KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

export const base: ConfigInput = {
  accountId: "123456789012",
  region: "us-east-1",
  bucket: { name: "cloudsmith-acme-logs" },
  logTypes: { client: { prefix: "client-logs" }, audit: { prefix: "audit-logs" } },
  externalId: "cs-ext-0123456789",
};

export const variants: Record<string, ConfigInput> = {
  default: base,
  "existing bucket": { ...base, bucket: { name: "acme-existing-logs", existing: true } },
  "client logs only": { ...base, logTypes: { client: { prefix: "client-logs" } } },
  "audit logs only": { ...base, logTypes: { audit: { prefix: "audit-logs" } } },
  "no prefix": { ...base, logTypes: { client: { prefix: "" } }, cloudtrail: { dataEvents: false } },
  kms: { ...base, encryption: { type: "SSE-KMS", kmsKeyArn: KMS_KEY }, cloudtrail: { kmsKeyArn: KMS_KEY } },
  "no external id": { ...base, externalId: undefined },
  "cloudtrail off": { ...base, cloudtrail: { mode: "none" } },
  "lifecycle, tags, s3 backend": {
    ...base,
    lifecycle: { expireAfterDays: 90 },
    versioning: false,
    tags: { team: "platform" },
    backend: { type: "s3", bucket: "acme-tf-state", key: "cloudsmith/terraform.tfstate", region: "us-east-1" },
  },
};

/** A read-only auditor role for CI, trusted by another account's role and one repository's GitHub Actions. */
export const withAuditor: ConfigInput = {
  ...base,
  auditorRole: {
    trustedPrincipals: ["arn:aws:iam::210987654321:role/security-audit"],
    githubRepository: "acme/infra",
  },
};
variants["auditor role"] = withAuditor;
/** The Athena query layer, with defaults. */
variants["athena query layer"] = { ...base, query: { athena: {} } };
/** The query layer over an existing organization trail and CSV exports, every setting given. */
variants["athena, csv, existing organization trail"] = {
  ...base,
  format: "csv",
  cloudtrail: {
    mode: "existing",
    trailArn: "arn:aws:cloudtrail:us-east-1:210987654321:trail/org-trail",
    organizationId: "o-a1b2c3d4e5",
  },
  query: {
    athena: {
      database: "acme_cloudsmith",
      workgroup: "acme-investigations",
      resultsBucket: "acme-athena-results",
      resultsPrefix: "investigations",
      resultsExpireDays: 30,
      bytesScannedCutoffMb: 100,
      projectionStart: "2025/06/01",
      accounts: ["210987654321"],
      trailBucket: "acme-org-trail",
      trailPrefix: "org",
    },
  },
};

/** The SIEM hand-off for a SaaS SIEM in another account (it issued an External ID). */
variants["siem hand-off"] = {
  ...base,
  siem: { reader: { principal: "arn:aws:iam::210987654321:root", externalId: "siem-ext-42" } },
};
/** The SIEM hand-off from an existing bucket (its notifications are printed, never written), a customer key on the queues. */
variants["siem, existing bucket, customer key"] = {
  ...base,
  bucket: { name: "acme-existing-logs", existing: true },
  // Its own role and trail, so it deploys beside the "siem hand-off" variant in one account.
  roleName: "AcmeLogsWriter",
  cloudtrail: { name: "acme-existing-trail" },
  siem: {
    reader: { principal: "arn:aws:iam::123456789012:role/elastic-agent", roleName: "ElasticReader" },
    kmsKeyArn: KMS_KEY,
    maxReceiveCount: 3,
  },
};

/** PCI DSS retention with the trail's files under Object Lock (compliance mode) in a bucket of their own. */
variants["pci dss, object lock"] = {
  ...base,
  retention: { profile: "pci-dss", objectLock: { mode: "compliance" } },
};

export const configOf = (input: ConfigInput) => parseConfig(input).config;
